import { ConfigError } from '../env';

export { optionalHttpUrl, optionalText } from '../env';

/**
 * The credentials of one source: all of `required` set (enabled), or none (disabled). One set
 * without the others stops start-up, naming the first one missing.
 */
export function allOrNone<K extends string>(env: Record<string, unknown>, required: readonly K[], source: string): Record<K, string> | undefined {
  const present = required.filter((k) => typeof env[k] === 'string' && env[k] !== '');
  if (present.length === 0) return undefined;
  const missing = required.find((k) => !present.includes(k));
  if (missing) throw new ConfigError(missing, `is required to use ${source} (${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set)`);
  return Object.fromEntries(required.map((k) => [k, env[k] as string])) as Record<K, string>;
}

/** A subdomain-like name (Zendesk subdomain, Gorgias or Freshdesk domain): letters, digits, dashes. */
export function accountName(value: string, variable: string): string {
  const name = value.replace(/^https?:\/\//, '').split('.')[0]!;
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name)) throw new ConfigError(variable, 'must be the account name, e.g. "acme" for acme.zendesk.com');
  return name;
}

export const trimBase = (url: string) => url.replace(/\/+$/, '');
