import { z } from 'zod';
import { optionalText } from '../env';
import { ConfigError } from '../../env';

export const TRACKING_PROVIDERS = ['aftership', 'easypost'] as const;

export const trackingProviderEnv = { TRACKING_PROVIDER: optionalText };

/**
 * Is this aggregator the one in use? TRACKING_PROVIDER names it (then its key is required); unset,
 * an aggregator is in use when its key is set.
 */
export function trackingKey(env: Record<string, unknown>, name: (typeof TRACKING_PROVIDERS)[number], keyVariable: string): string | undefined {
  const chosen = typeof env.TRACKING_PROVIDER === 'string' ? env.TRACKING_PROVIDER.trim().toLowerCase() : '';
  if (chosen && !(TRACKING_PROVIDERS as readonly string[]).includes(chosen)) {
    throw new ConfigError('TRACKING_PROVIDER', `must be one of ${TRACKING_PROVIDERS.join(', ')}`);
  }
  const key = typeof env[keyVariable] === 'string' ? (env[keyVariable] as string).trim() : '';
  if (chosen && chosen !== name) return undefined;
  if (chosen === name && !key) throw new ConfigError(keyVariable, `is required when TRACKING_PROVIDER=${name}`);
  return key || undefined;
}

export const trackingEnv = (keyVariable: string, baseVariable: string) =>
  z.object({ ...trackingProviderEnv, [keyVariable]: optionalText, [baseVariable]: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()) });
