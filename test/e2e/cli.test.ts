import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, type Db } from '../../src/db/pool';
import { FakePaypal } from '../fakes/paypal';
import { DEV_KEYS, FIXTURES, fixtureJson } from '../support/fixtures';
import { createTestDatabase, uniqueName, waitFor } from '../support/services';
import { ROOT, spawnServer, type SpawnedServer } from '../support/spawn-server';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';

const run = promisify(execFile);

describe('the rebuttal command, as a user runs it against a running server', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: SpawnedServer;
  let db: Db;
  const paypalApi = new FakePaypal();
  let env: Record<string, string>;

  const rebuttal = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run('node', [path.join(ROOT, 'bin/rebuttal.cjs'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const settledAll = () =>
    waitFor(async () => {
      const rows = await db.selectFrom('events').select('status').execute();
      return rows.length > 0 && rows.every((r) => ['processed', 'failed', 'ignored'].includes(r.status));
    }, 20_000, 'events to settle');

  beforeAll(async () => {
    database = await createTestDatabase();
    await paypalApi.start();
    env = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: uniqueName('cli'),
      STRIPE_WEBHOOK_SECRETS: 'whsec_cli_e2e_0123456789',
      SQUARE_SIGNATURE_KEYS: 'sq-cli-e2e-key',
      SQUARE_WEBHOOK_URL: 'https://merchant.example.com/webhooks/square',
      PAYPAL_WEBHOOK_ID: 'WH-CLI-E2E',
      PAYPAL_CERT_FILE: DEV_KEYS.paypalCertFile,
      PAYPAL_CLIENT_ID: 'cli-client',
      PAYPAL_CLIENT_SECRET: 'cli-secret',
      PAYPAL_API_BASE: paypalApi.url,
      ADMIN_TOKEN: 'cli-e2e-admin-token-0123',
      LOG_LEVEL: 'warn',
    };
    server = await spawnServer(env);
    env.PORT = new URL(server.url).port;
    db = createDb(database.url, { max: 2 });
  });
  afterAll(async () => {
    await db.destroy();
    await server.stop();
    await paypalApi.close();
    await database.drop();
  });

  it('replays every scenario signed as its provider would, and the disputes end where each story does', async () => {
    const replayed = await rebuttal('replay', path.join(FIXTURES, 'scenarios'));
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    const lines = replayed.stdout.trim().split('\n');
    expect(lines).toHaveLength(25);
    expect(lines.every((l) => / 200 {2}new /.test(l))).toBe(true);
    await settledAll();

    const listed = await rebuttal('disputes');
    expect(listed.code).toBe(0);
    const byId = Object.fromEntries((await db.selectFrom('disputes').select(['provider_dispute_id', 'status', 'stage', 'outcome']).execute()).map((d) => [d.provider_dispute_id, `${d.status}/${d.stage}`]));
    expect(byId).toEqual({
      du_1QkZr9LzW8xYp1Aa5bHc2mPq: 'won/chargeback',
      du_1QmT7kLzW8xYp1Aa9cVx4rNe: 'lost/chargeback',
      du_1QnA2sLzW8xYp1Aa3eKw5tOf: 'needs_response/chargeback',
      'PP-D-21847': 'won/chargeback',
      'PP-D-21955': 'lost/chargeback',
      'PP-D-22010': 'needs_response/chargeback',
      XDgyFu7yo1E2S5lQGGpYn: 'won/chargeback',
      Qw8pEuT3nZ5yR1xVbK2mLs: 'lost/chargeback',
      Vn3sKq8tYw2ZpM6rXc1BdF: 'needs_response/chargeback',
    });
    expect(listed.stdout.trim().split('\n')).toHaveLength(1 + Object.keys(byId).length);
    expect(listed.stdout.split('\n')[0]).toMatch(/^due\s+provider\s+amount\s+reason\s+status/);
    expect(listed.stdout).toContain('¥5,000');
  });

  it('a second replay without --fresh produces duplicates only; with --fresh, new events', async () => {
    const again = await rebuttal('replay', path.join(FIXTURES, 'scenarios/square-won'));
    expect(again.stdout.trim().split('\n').every((l) => / 200 {2}duplicate of /.test(l))).toBe(true);
    const before = await db.selectFrom('events').select('id').execute();
    const fresh = await rebuttal('replay', '--fresh', path.join(FIXTURES, 'scenarios/square-won'));
    expect(fresh.stdout.trim().split('\n').every((l) => / 200 {2}new /.test(l))).toBe(true);
    expect((await db.selectFrom('events').select('id').execute()).length).toBe(before.length + 4);
    await settledAll();
  });

  it('redrive re-processes a failed event once its cause is fixed', async () => {
    const partial = fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.partial.json');
    partial.id = 'WH-CLI-REDRIVE-1';
    partial.resource.dispute_id = 'PP-D-88001';
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'rebuttal-')), 'partial.json');
    writeFileSync(file, JSON.stringify(partial));
    expect((await rebuttal('replay', file)).code).toBe(0);
    await settledAll();
    const failed = await rebuttal('events', '--status', 'failed');
    expect(failed.stdout).toContain('CUSTOMER.DISPUTE.CREATED');
    expect(failed.stdout).toMatch(/paypal refused the request \(404\)/);

    paypalApi.disputes.set('PP-D-88001', { ...fixtureJson<any>('paypal/api/get-dispute.PP-D-21903.json'), dispute_id: 'PP-D-88001' });
    const redriven = await rebuttal('redrive', '--failed');
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toMatch(/^queued [0-9a-f-]{36}$/m);
    await waitFor(async () => (await db.selectFrom('disputes').select('id').where('provider_dispute_id', '=', 'PP-D-88001').executeTakeFirst()) ?? false, 15_000, 'the redriven dispute');
    expect((await rebuttal('events', '--status', 'failed')).stdout.trim()).toBe('no events');
  });

  it('says in one line what is wrong, with a non-zero exit', async () => {
    expect(await rebuttal('redrive', 'not-an-id')).toMatchObject({ code: 1, stderr: 'rebuttal: no event not-an-id\n' });
    expect(await rebuttal('replay', 'fixtures/nowhere')).toMatchObject({ code: 1, stderr: 'rebuttal: no such file or folder: fixtures/nowhere\n' });
    expect((await rebuttal('disputes', '--due-within', 'soon')).code).not.toBe(0);
    const unsigned = await rebuttal('replay', path.join(FIXTURES, 'stripe/charge.dispute.created.json'));
    expect(unsigned.code).toBe(0);
    env.STRIPE_WEBHOOK_SECRETS = '';
    try {
      expect(await rebuttal('replay', path.join(FIXTURES, 'stripe/charge.dispute.created.json'))).toMatchObject({
        code: 1,
        stderr: 'rebuttal: cannot sign stripe events: STRIPE_WEBHOOK_SECRETS is not set\n',
      });
    } finally {
      env.STRIPE_WEBHOOK_SECRETS = 'whsec_cli_e2e_0123456789';
    }
  });

  it('doctor passes a good setup and fails each misconfiguration it knows', async () => {
    const good = await rebuttal('doctor');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^ok {4}postgres/m);
    expect(good.stdout).toMatch(/^ok {4}migrations/m);
    expect(good.stdout).toMatch(/^ok {4}redis/m);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ STRIPE_WEBHOOK_SECRETS: 'not-a-secret' }, /FAIL {2}settings: Invalid setting STRIPE_WEBHOOK_SECRETS/],
      [{ SQUARE_WEBHOOK_URL: 'http://merchant.example.com/webhooks/square' }, /FAIL {2}square webhooks: SQUARE_WEBHOOK_URL must be the absolute https URL/],
      [{ PAYPAL_CERT_FILE: path.join(FIXTURES, 'keys/paypal-expired-cert.pem') }, /FAIL {2}paypal cert file: .* expired/],
      [{ PAYPAL_CERT_FILE: path.join(FIXTURES, 'keys/README.md') }, /FAIL {2}paypal cert file: .* not a readable PEM certificate/],
      [{ PAYPAL_VERIFY: 'api', PAYPAL_CERT_FILE: '', PAYPAL_CLIENT_ID: '' }, /FAIL {2}settings: Invalid setting PAYPAL_CLIENT_ID/],
      [{ STRIPE_SECRET_KEY: 'pk_live_wrongkind' }, /FAIL {2}stripe api: STRIPE_SECRET_KEY must look like sk_live_/],
      [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/rebuttal' }, /FAIL {2}postgres: 127.0.0.1:1 does not answer/],
      [{ DATABASE_URL: database.url.replace(/\/[^/]+$/, '/postgres') }, /FAIL {2}migrations: \d+ pending/],
      [{ REDIS_URL: 'redis://127.0.0.1:1' }, /FAIL {2}redis: 127.0.0.1:1 does not answer/],
    ];
    for (const [override, expected] of cases) {
      const saved = { ...env };
      Object.assign(env, override);
      try {
        const result = await rebuttal('doctor');
        expect({ override, code: result.code, matches: expected.test(result.stdout) }).toEqual({ override, code: 1, matches: true });
        expect(result.stderr).toMatch(/^rebuttal: \d+ problem\(s\) to fix\n$/);
      } finally {
        env = saved;
      }
    }
  });
});
