import { z } from 'zod';
import { parseDuration } from '../time';
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

/** The variables of the layer and of every source module, for config.ts to check with the rest. */
export function sourcesEnvShape(modules: readonly AnySourceModule[] = SOURCES): z.ZodRawShape {
  return Object.assign({}, LayerEnv.shape, ...modules.map((m) => m.env.shape));
}

/** The parsed variables → the layer's settings and each enabled source's (a half-made source throws ConfigError). */
export function sourcesConfig(env: Record<string, unknown>, modules: readonly AnySourceModule[] = SOURCES): SourcesConfig {
  const enabled: Record<string, unknown> = {};
  for (const module of modules) {
    const settings = module.settings(env);
    if (settings !== undefined) enabled[module.name] = settings;
  }
  return {
    syncIntervalMs: env.SOURCE_SYNC_INTERVAL as number,
    helpdeskNote: env.HELPDESK_NOTE as boolean,
    ackTemplate: env.HELPDESK_ACK_TEMPLATE as string | undefined,
    enabled,
  };
}
