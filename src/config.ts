import { z } from 'zod';
import { ALERT_CHANNEL_MODULES } from './alerts/channels';
import type { AlertChannelModule } from './alerts/channels/types';
import { ConfigError, duration, httpUrl, optionalText } from './env';
import { PROVIDER_MODULES, type ProviderSettings } from './providers';
import type { ProviderModule } from './providers/types';
import { SOURCES } from './sources';
import { sourcesConfig, sourcesEnvShape } from './sources/settings';
import type { AnySourceModule } from './sources/types';
import { parseDuration } from './time';
import { decimalToMinor } from './money';
import type { Money } from './disputes/model';

export { ConfigError };

/**
 * Settings of CONTRACT.md, parsed once at start. Nothing else reads process.env. The variables
 * of each provider and alert channel are declared by its module and composed here.
 */

/** "15.00 USD" → 1500 minor units of USD, by string arithmetic (money.ts). */
function parseAmount(text: string): Money | string {
  const match = /^\s*(\d+(?:\.\d+)?)\s+([A-Za-z]{3})\s*$/.exec(text);
  if (!match) return `"${text}" is not an amount such as 15.00 USD`;
  try {
    const currency = match[2]!.toUpperCase();
    return { value: decimalToMinor(match[1]!, currency), currency };
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const amount = z.string().transform((v, ctx) => {
  const parsed = parseAmount(v);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

/** `stripe=15.00 USD,paypal=20.00 USD`: each provider's fee for a dispute, in its own currency. */
const disputeFees = z.string().transform((v, ctx) => {
  const fees: Record<string, Money> = {};
  for (const entry of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [provider, text] = entry.split('=').map((s) => s.trim());
    const parsed = text === undefined ? 'missing =' : parseAmount(text);
    if (!provider || !/^[a-z][a-z0-9_]*$/.test(provider) || typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not provider=amount such as stripe=15.00 USD${typeof parsed === 'string' ? ` (${parsed})` : ''}` });
      return z.NEVER;
    }
    fees[provider] = parsed;
  }
  return fees;
});

const EnvSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
      .default('postgres://postgres@127.0.0.1:5432/rebuttal'),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('rebuttal'),
    ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    WEBHOOK_MAX_BYTES: z.coerce.number().int().positive().default(1_048_576),
    INGEST_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(256),
    INGEST_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(2),

    SUBMIT_MODE: z.enum(['review', 'auto']).default('review'),
    AUTO_SUBMIT_LEAD: duration('48h'),
    ALERT_THRESHOLDS: z
      .string()
      .default('168h,72h,24h,6h')
      .transform((v, ctx) => {
        const parts = v.split(',').map((s) => s.trim()).filter(Boolean);
        const ms = parts.map(parseDuration);
        if (parts.length === 0 || ms.some((x) => x === undefined || x <= 0)) {
          ctx.addIssue({ code: 'custom', message: 'must be durations such as 168h,72h,24h,6h' });
          return z.NEVER;
        }
        return [...new Set(ms as number[])].sort((a, b) => b - a);
      }),
    ALERT_TIMEZONE: z
      .string()
      .default('UTC')
      .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
    PUBLIC_URL: httpUrl.default('http://localhost:3000').transform((u) => u.replace(/\/+$/, '')),
    RECONCILE_INTERVAL: z
      .string()
      .default('15m')
      .transform((v, ctx) => {
        const ms = v.trim() === '0' ? 0 : parseDuration(v);
        if (ms === undefined || (ms > 0 && ms < 60_000)) {
          ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration of at least 1m such as 15m or 1h (0 turns reconciliation off)` });
          return z.NEVER;
        }
        return ms;
      }),
    RETENTION_DAYS: optionalText.pipe(
      z.string().regex(/^\d+$/, 'must be a whole number of days').transform(Number).pipe(z.number().int().positive('must be at least 1')).optional(),
    ),
    DISPUTE_FEES: disputeFees.prefault('stripe=15.00 USD,paypal=20.00 USD,square=0 USD'),
    HANDLING_COST: amount.prefault('10.00 USD'),
    AUTO_ACCEPT_BELOW: optionalText.pipe(amount.optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Env = Record<string, string | undefined>;

/** The modules whose settings are read: the built-in ones unless a test registers its own. */
export interface ConfigModules {
  providers?: readonly ProviderModule[];
  channels?: readonly AlertChannelModule[];
  sources?: readonly AnySourceModule[];
}

/** Parses and checks every setting; the first invalid one throws a ConfigError naming it. */
export function loadConfig(env: Env = process.env, registered: ConfigModules = {}) {
  const modules = { providers: registered.providers ?? PROVIDER_MODULES, channels: registered.channels ?? ALERT_CHANNEL_MODULES, sources: registered.sources ?? SOURCES };
  const schema = EnvSchema.extend(Object.assign({}, ...[...modules.providers, ...modules.channels].map((m) => m.env), sourcesEnvShape(modules.sources)));
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data as z.infer<typeof EnvSchema> & Record<string, unknown>;
  const unknownFee = Object.keys(e.DISPUTE_FEES).find((name) => !modules.providers.some((m) => m.name === name));
  if (unknownFee) throw new ConfigError('DISPUTE_FEES', `names ${unknownFee}, which is not a provider (${modules.providers.map((m) => m.name).join(', ')})`);
  const providers = Object.fromEntries(modules.providers.map((m) => [m.name, m.settings(e)])) as ProviderSettings & Record<string, unknown>;
  const channels = Object.fromEntries(modules.channels.map((m) => [m.name, m.settings(e)])) as Record<string, unknown>;
  const sources = sourcesConfig(e, modules.sources);
  return deepFreeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    adminToken: e.ADMIN_TOKEN,
    webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
    providers,
    ingest: { batchMax: e.INGEST_BATCH_MAX, batchWaitMs: e.INGEST_BATCH_WAIT_MS },
    submission: { mode: e.SUBMIT_MODE, autoSubmitLeadMs: e.AUTO_SUBMIT_LEAD },
    alerts: {
      thresholdsMs: e.ALERT_THRESHOLDS,
      timezone: e.ALERT_TIMEZONE,
      publicUrl: e.PUBLIC_URL,
    },
    /** The settings of each alert channel, undefined where it is not configured. */
    channels,
    /** 0: off. */
    reconcileIntervalMs: e.RECONCILE_INTERVAL,
    /** Undefined: personal data is kept. */
    retentionDays: e.RETENTION_DAYS,
    resolution: { disputeFees: e.DISPUTE_FEES, handlingCost: e.HANDLING_COST, autoAcceptBelow: e.AUTO_ACCEPT_BELOW, mode: e.SUBMIT_MODE },
    logLevel: e.LOG_LEVEL,
    sources,
  });
}

export type Config = ReturnType<typeof loadConfig>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
