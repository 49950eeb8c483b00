import { z } from 'zod';
import { parseDuration } from './time';

/**
 * The building blocks of settings schemas: blank means unset, lists are comma-separated,
 * durations read as 48h / 30m / 90s. Used by config.ts and by every module that declares its own
 * variables (providers, alert channels, evidence sources). Nothing here reads the environment.
 */

export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration such as 48h, 30m or 90s` });
        return z.NEVER;
      }
      return ms;
    });

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
export const optionalHttpUrl = optionalText.pipe(httpUrl.optional());

/** A base URL without its trailing slashes, so paths can be appended. */
export const baseUrl = (url: string) => url.replace(/\/+$/, '');

/** A setting that is wrong, named: stops the process at start. */
export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid setting ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Throws a ConfigError naming `variable` when `when` holds: for settings that only make sense together. */
export function requireTogether(when: boolean, variable: string, message: string): void {
  if (when) throw new ConfigError(variable, message);
}
