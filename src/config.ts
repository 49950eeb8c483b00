import { z } from 'zod';
import { parseDuration } from './time';

/** Settings of CONTRACT.md, parsed once at start. Nothing else reads process.env. */

const SANDBOX_PAYPAL = 'https://api-m.sandbox.paypal.com';
const SQUARE_PRODUCTION = 'https://connect.squareup.com';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const duration = (fallback: string) =>
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

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const optionalHttpUrl = optionalText.pipe(httpUrl.optional());

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

    STRIPE_WEBHOOK_SECRETS: list.pipe(
      z.array(z.string().regex(/^whsec_\S+$/, 'each secret must look like whsec_…')),
    ),
    STRIPE_SECRET_KEY: optionalText,
    STRIPE_API_BASE: optionalHttpUrl,

    PAYPAL_WEBHOOK_ID: optionalText,
    PAYPAL_CLIENT_ID: optionalText,
    PAYPAL_CLIENT_SECRET: optionalText,
    PAYPAL_API_BASE: httpUrl.default(SANDBOX_PAYPAL),
    PAYPAL_VERIFY: z.enum(['cert', 'api']).default('cert'),
    PAYPAL_CERT_HOSTS: list
      .transform((hosts) =>
        hosts.length > 0
          ? hosts
          : ['api.paypal.com', 'api.sandbox.paypal.com', 'api-m.paypal.com', 'api-m.sandbox.paypal.com'],
      )
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'each entry must be host or host:port'))),
    PAYPAL_CERT_FILE: optionalText,

    SQUARE_SIGNATURE_KEYS: list,
    SQUARE_WEBHOOK_URL: optionalText.pipe(z.url({ error: 'must be an absolute URL' }).optional()),
    SQUARE_ACCESS_TOKEN: optionalText,
    SQUARE_API_BASE: httpUrl.default(SQUARE_PRODUCTION),

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
    SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// URL' }).optional()),
    ALERT_EMAIL_FROM: optionalText,
    ALERT_EMAIL_TO: list,
    SLACK_WEBHOOK_URL: optionalHttpUrl,
    ALERT_WEBHOOK_URL: optionalHttpUrl,
    ALERT_WEBHOOK_SECRET: optionalText,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    const need = (when: boolean, variable: keyof typeof env, message: string) => {
      if (when) ctx.addIssue({ code: 'custom', path: [variable], message });
    };
    need(
      env.SQUARE_SIGNATURE_KEYS.length > 0 && !env.SQUARE_WEBHOOK_URL,
      'SQUARE_WEBHOOK_URL',
      'is required when SQUARE_SIGNATURE_KEYS is set: Square signs the notification URL',
    );
    need(
      env.PAYPAL_VERIFY === 'api' && !!env.PAYPAL_WEBHOOK_ID && !(env.PAYPAL_CLIENT_ID && env.PAYPAL_CLIENT_SECRET),
      'PAYPAL_CLIENT_ID',
      'PAYPAL_VERIFY=api needs PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET',
    );
    need(
      !!env.PAYPAL_CERT_FILE && env.NODE_ENV === 'production',
      'PAYPAL_CERT_FILE',
      'is for development and tests only and is refused when NODE_ENV=production',
    );
    need(
      !!env.SMTP_URL && (!env.ALERT_EMAIL_FROM || env.ALERT_EMAIL_TO.length === 0),
      'ALERT_EMAIL_TO',
      'SMTP_URL needs ALERT_EMAIL_FROM and ALERT_EMAIL_TO',
    );
    need(!!env.ALERT_WEBHOOK_URL && !env.ALERT_WEBHOOK_SECRET, 'ALERT_WEBHOOK_SECRET', 'is required with ALERT_WEBHOOK_URL');
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid setting ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  return deepFreeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    adminToken: e.ADMIN_TOKEN,
    webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
    ingest: { batchMax: e.INGEST_BATCH_MAX, batchWaitMs: e.INGEST_BATCH_WAIT_MS },
    stripe: {
      webhookSecrets: e.STRIPE_WEBHOOK_SECRETS,
      secretKey: e.STRIPE_SECRET_KEY,
      apiBase: e.STRIPE_API_BASE,
    },
    paypal: {
      webhookId: e.PAYPAL_WEBHOOK_ID,
      clientId: e.PAYPAL_CLIENT_ID,
      clientSecret: e.PAYPAL_CLIENT_SECRET,
      apiBase: e.PAYPAL_API_BASE.replace(/\/+$/, ''),
      verify: e.PAYPAL_VERIFY,
      certHosts: e.PAYPAL_CERT_HOSTS,
      certFile: e.PAYPAL_CERT_FILE,
    },
    square: {
      signatureKeys: e.SQUARE_SIGNATURE_KEYS,
      webhookUrl: e.SQUARE_WEBHOOK_URL,
      accessToken: e.SQUARE_ACCESS_TOKEN,
      apiBase: e.SQUARE_API_BASE.replace(/\/+$/, ''),
    },
    submission: { mode: e.SUBMIT_MODE, autoSubmitLeadMs: e.AUTO_SUBMIT_LEAD },
    alerts: {
      thresholdsMs: e.ALERT_THRESHOLDS,
      timezone: e.ALERT_TIMEZONE,
      publicUrl: e.PUBLIC_URL,
      smtpUrl: e.SMTP_URL,
      emailFrom: e.ALERT_EMAIL_FROM,
      emailTo: e.ALERT_EMAIL_TO,
      slackWebhookUrl: e.SLACK_WEBHOOK_URL,
      webhookUrl: e.ALERT_WEBHOOK_URL,
      webhookSecret: e.ALERT_WEBHOOK_SECRET,
    },
    logLevel: e.LOG_LEVEL,
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
