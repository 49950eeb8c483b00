import path from 'node:path';
import { checkLine, doctor, providerChecks, sourceChecks, type Check } from '../../src/cli/doctor';
import { loadConfig } from '../../src/config';
import { DEV_KEYS, FIXTURES } from '../support/fixtures';
import { createTestDatabase, POSTGRES_BASE, REDIS_URL } from '../support/services';

const GOOD = {
  REDIS_URL,
  STRIPE_WEBHOOK_SECRETS: 'whsec_doctor_0123456789',
  STRIPE_SECRET_KEY: 'sk_test_doctor0123456789',
  SQUARE_SIGNATURE_KEYS: 'sq-doctor-key',
  SQUARE_WEBHOOK_URL: 'https://merchant.example.com/webhooks/square',
  SQUARE_ACCESS_TOKEN: 'EAAA-doctor',
  PAYPAL_WEBHOOK_ID: 'WH-DOCTOR',
  PAYPAL_CLIENT_ID: 'doctor-client',
  PAYPAL_CLIENT_SECRET: 'doctor-secret',
  PAYPAL_CERT_FILE: DEV_KEYS.paypalCertFile,
};

const lines = (checks: Check[]) => checks.map(checkLine);
const failures = (checks: Check[]) => lines(checks.filter((c) => c.level === 'FAIL'));

describe('rebuttal doctor', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  const run = (env: Record<string, string> = {}) => doctor({ DATABASE_URL: database.url, ...GOOD, ...env });

  it('finds nothing to fix in a complete setup, and says what it checked', async () => {
    const checks = await run();
    expect(failures(checks)).toEqual([]);
    expect(lines(checks)).toEqual(
      expect.arrayContaining([
        'ok    settings: every variable parses',
        'ok    stripe webhooks: 1 signing secret(s)',
        'ok    square webhooks: verifying against https://merchant.example.com/webhooks/square',
        expect.stringMatching(/^warn  paypal cert file: .*paypal-dev-cert\.pem: development only, never in production$/),
        'ok    postgres: 127.0.0.1:5432',
        expect.stringMatching(/^ok {4}migrations: \d+ applied$/),
        'ok    notifications: heard through DATABASE_URL: the relay queues each event as it is committed',
        'ok    redis: 127.0.0.1:6379',
      ]),
    );
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a malformed Stripe secret', { STRIPE_WEBHOOK_SECRETS: 'not-a-secret' }, /^FAIL {2}settings: Invalid setting STRIPE_WEBHOOK_SECRETS/],
    ['a publishable key where the secret key goes', { STRIPE_SECRET_KEY: 'pk_live_wrongkind' }, /^FAIL {2}stripe api: STRIPE_SECRET_KEY must look like sk_live_/],
    ['Square keys without the URL they sign', { SQUARE_WEBHOOK_URL: '' }, /^FAIL {2}settings: Invalid setting SQUARE_WEBHOOK_URL/],
    ['a Square URL that is not absolute', { SQUARE_WEBHOOK_URL: '/webhooks/square' }, /^FAIL {2}settings: Invalid setting SQUARE_WEBHOOK_URL/],
    ['a Square URL over plain http', { SQUARE_WEBHOOK_URL: 'http://merchant.example.com/webhooks/square' }, /^FAIL {2}square webhooks: SQUARE_WEBHOOK_URL must be the absolute https URL/],
    ['PayPal API verification without credentials', { PAYPAL_VERIFY: 'api', PAYPAL_CERT_FILE: '', PAYPAL_CLIENT_ID: '' }, /^FAIL {2}settings: Invalid setting PAYPAL_CLIENT_ID/],
    ['an expired PayPal certificate file', { PAYPAL_CERT_FILE: path.join(FIXTURES, 'keys/paypal-expired-cert.pem') }, /^FAIL {2}paypal cert file: .* expired/],
    ['a PayPal certificate file that is not a certificate', { PAYPAL_CERT_FILE: path.join(FIXTURES, 'keys/README.md') }, /^FAIL {2}paypal cert file: .* not a readable PEM certificate/],
    ['a PayPal certificate file that does not exist', { PAYPAL_CERT_FILE: '/nowhere/cert.pem' }, /^FAIL {2}paypal cert file: \/nowhere\/cert\.pem is not a readable PEM certificate/],
    ['PostgreSQL that does not answer', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/rebuttal' }, /^FAIL {2}postgres: 127\.0\.0\.1:1 does not answer .*fix DATABASE_URL/],
    ['a database without the migrations', { DATABASE_URL: `${POSTGRES_BASE}/postgres` }, /^FAIL {2}migrations: \d+ pending \(0001_events.*run `npm run migrate`/],
    ['Redis that does not answer', { REDIS_URL: 'redis://127.0.0.1:1' }, /^FAIL {2}redis: 127\.0\.0\.1:1 does not answer: start Redis or fix REDIS_URL/],
  ])('fails %s, saying what to fix', async (_, env, expected) => {
    const found = failures(await run(env));
    expect(found).toEqual([expect.stringMatching(expected)]);
  });

  it('still checks PostgreSQL and Redis when a setting is invalid, so one run says everything to fix', async () => {
    expect(failures(await run({ STRIPE_WEBHOOK_SECRETS: 'not-a-secret', REDIS_URL: 'redis://127.0.0.1:1' }))).toEqual([
      expect.stringMatching(/^FAIL {2}settings: Invalid setting STRIPE_WEBHOOK_SECRETS/),
      'FAIL  redis: 127.0.0.1:1 does not answer: start Redis or fix REDIS_URL',
    ]);
  });

  it('warns, without failing, of PayPal certificate hosts it cannot resolve', async () => {
    const checks = await run({ PAYPAL_CERT_FILE: '', PAYPAL_CERT_HOSTS: 'api.paypal.invalid,api-m.paypal.invalid' });
    expect(failures(checks)).toEqual([]);
    expect(lines(checks)).toContain('warn  paypal cert hosts: cannot resolve api.paypal.invalid, api-m.paypal.invalid: PayPal events will get 503 until they can be fetched');
  });

  it('warns of each provider left unconfigured, and of missing API credentials', () => {
    expect(lines(providerChecks(loadConfig({})))).toEqual([
      'warn  stripe: disabled: set STRIPE_WEBHOOK_SECRETS (whsec_…) from the Stripe dashboard',
      'warn  paypal: disabled: set PAYPAL_WEBHOOK_ID (the id of your webhook in the PayPal developer dashboard)',
      'warn  square: disabled: set SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL',
    ]);
    const noApi = lines(providerChecks(loadConfig({ ...GOOD, STRIPE_SECRET_KEY: '', SQUARE_ACCESS_TOKEN: '', PAYPAL_CLIENT_SECRET: '' })));
    expect(noApi).toEqual(
      expect.arrayContaining([
        'warn  stripe api: STRIPE_SECRET_KEY is not set: evidence cannot be submitted',
        'warn  square api: SQUARE_ACCESS_TOKEN is not set: evidence cannot be submitted',
        'warn  paypal api: PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET are needed to fetch partial disputes and submit evidence',
      ]),
    );
  });

  it('says which evidence sources are on, and that none is when none is', () => {
    expect(lines(sourceChecks(loadConfig({})))).toEqual(['ok    evidence sources: none enabled: orders, tracking and conversations come only from the API and imports']);
    const zendesk = loadConfig({ ZENDESK_SUBDOMAIN: 'northwind', ZENDESK_EMAIL: 'ops@northwind.example', ZENDESK_API_TOKEN: 'zd-token-0123' });
    expect(lines(sourceChecks(zendesk))).toEqual(['ok    zendesk (helpdesk): enabled; `npx rebuttal sync zendesk` pulls now']);
  });
});
