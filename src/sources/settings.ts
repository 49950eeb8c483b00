import { z } from 'zod';
import { parseDuration } from '../time';
import { SourceSettingsError } from './errors';
import { optionalText } from './env';
import { SOURCES } from './index';
import type { AnySourceModule } from './types';

/** The layer's own settings (CONTRACT "Evidence sources"), beside each module's fragment. */
const LayerEnv = z.object({
  SOURCE_SYNC_INTERVAL: z
    .string()
    .default('6h')
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration such as 6h or 30m (0h turns re-pulls off)` });
        return z.NEVER;
      }
      return ms;
    }),
  HELPDESK_NOTE: z
    .string()
    .default('true')
    .transform((v, ctx) => {
      const value = { true: true, '1': true, yes: true, false: false, '0': false, no: false }[v.trim().toLowerCase()];
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be true or false' });
        return z.NEVER;
      }
      return value;
    }),
  HELPDESK_ACK_TEMPLATE: optionalText,
});

export interface SourcesConfig {
  /** Re-pull every this long while a dispute takes a response; 0 = never. */
  syncIntervalMs: number;
  /** Post an internal note on the customer's ticket when a dispute opens. */
  helpdeskNote: boolean;
  /** Public acknowledgment to the customer ({name}, {order}, {amount}); unset = none. */
  ackTemplate: string | undefined;
  /** The settings of every enabled source, by name; a source not here is disabled. */
  enabled: Readonly<Record<string, unknown>>;
}

export type SourcesParse = { ok: true; value: SourcesConfig } | { ok: false; variable: string; message: string };

/** The sources' settings from the environment, checked like the rest of config.ts. */
export function parseSourcesConfig(env: Record<string, string | undefined>, modules: readonly AnySourceModule[] = SOURCES): SourcesParse {
  const layer = LayerEnv.safeParse(env);
  if (!layer.success) {
    const issue = layer.error.issues[0]!;
    return { ok: false, variable: String(issue.path[0] ?? 'environment'), message: issue.message };
  }
  const enabled: Record<string, unknown> = {};
  for (const module of modules) {
    const parsed = module.env.safeParse(env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, variable: String(issue.path[0] ?? module.name), message: issue.message };
    }
    try {
      const settings = module.settings(parsed.data as Record<string, unknown>);
      if (settings !== undefined) enabled[module.name] = settings;
    } catch (err) {
      if (err instanceof SourceSettingsError) return { ok: false, variable: err.variable, message: err.message };
      throw err;
    }
  }
  return {
    ok: true,
    value: { syncIntervalMs: layer.data.SOURCE_SYNC_INTERVAL, helpdeskNote: layer.data.HELPDESK_NOTE, ackTemplate: layer.data.HELPDESK_ACK_TEMPLATE, enabled },
  };
}
