import { ConfigError, loadConfig } from '../src/config';

describe('settings', () => {
  it('has sensible local defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/rebuttal',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'rebuttal',
      webhookMaxBytes: 1048576,
      submission: { mode: 'review', autoSubmitLeadMs: 48 * 3600_000 },
      alerts: { thresholdsMs: [168, 72, 24, 6].map((h) => h * 3600_000), timezone: 'UTC', publicUrl: 'http://localhost:3000' },
      logLevel: 'info',
    });
    expect(config.providers.paypal).toMatchObject({
      verify: 'cert',
      apiBase: 'https://api-m.sandbox.paypal.com',
      certHosts: ['api.paypal.com', 'api.sandbox.paypal.com', 'api-m.paypal.com', 'api-m.sandbox.paypal.com'],
    });
    expect(config.providers.stripe.webhookSecrets).toEqual([]);
    expect(config.adminToken).toBeUndefined();
  });

  it('reads comma-separated secrets for rotation', () => {
    expect(loadConfig({ STRIPE_WEBHOOK_SECRETS: 'whsec_a, whsec_b' }).providers.stripe.webhookSecrets).toEqual(['whsec_a', 'whsec_b']);
  });

  it('reconciles every 15 minutes and keeps personal data unless told otherwise; 0 turns reconciliation off', () => {
    expect(loadConfig({})).toMatchObject({ reconcileIntervalMs: 15 * 60_000, retentionDays: undefined });
    expect(loadConfig({ RECONCILE_INTERVAL: '0', RETENTION_DAYS: '365' })).toMatchObject({ reconcileIntervalMs: 0, retentionDays: 365 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ STRIPE_WEBHOOK_SECRETS: 'sk_live_oops' }, 'STRIPE_WEBHOOK_SECRETS'],
    [{ SQUARE_SIGNATURE_KEYS: 'key' }, 'SQUARE_WEBHOOK_URL'],
    [{ SQUARE_WEBHOOK_URL: 'not a url' }, 'SQUARE_WEBHOOK_URL'],
    [{ PAYPAL_VERIFY: 'trust-me' }, 'PAYPAL_VERIFY'],
    [{ PAYPAL_WEBHOOK_ID: 'WH', PAYPAL_VERIFY: 'api' }, 'PAYPAL_CLIENT_ID'],
    [{ PAYPAL_CERT_FILE: 'fixtures/keys/paypal-dev-cert.pem', NODE_ENV: 'production' }, 'PAYPAL_CERT_FILE'],
    [{ PAYPAL_CERT_HOSTS: 'https://api.paypal.com/' }, 'PAYPAL_CERT_HOSTS'],
    [{ AUTO_SUBMIT_LEAD: 'two days' }, 'AUTO_SUBMIT_LEAD'],
    [{ ALERT_THRESHOLDS: '72h,soon' }, 'ALERT_THRESHOLDS'],
    [{ ALERT_TIMEZONE: 'Mars/Olympus' }, 'ALERT_TIMEZONE'],
    [{ SUBMIT_MODE: 'yolo' }, 'SUBMIT_MODE'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ WEBHOOK_MAX_BYTES: '-1' }, 'WEBHOOK_MAX_BYTES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ALERT_WEBHOOK_URL: 'https://hooks.example.com/x' }, 'ALERT_WEBHOOK_SECRET'],
    [{ RECONCILE_INTERVAL: 'often' }, 'RECONCILE_INTERVAL'],
    [{ RECONCILE_INTERVAL: '5s' }, 'RECONCILE_INTERVAL'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS'],
    [{ RETENTION_DAYS: 'a year' }, 'RETENTION_DAYS'],
  ])('stops on %j with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid setting ${variable}: `));
  });

  it('sorts alert thresholds from the earliest warning to the last', () => {
    expect(loadConfig({ ALERT_THRESHOLDS: '6h,168h,24h' }).alerts.thresholdsMs).toEqual([168, 24, 6].map((h) => h * 3600_000));
  });
});
