import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, type Db } from '../../src/db/pool';
import { FakePaypal } from '../fakes/paypal';
import { DEV_KEYS, FIXTURES, fixtureJson } from '../support/fixtures';
import { createTestDatabase, queuePrefix, waitFor } from '../support/services';
import { freePort } from '../support/redis-server';
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

  /** `npx rebuttal …` in the repository, with the server's settings (and any overrides). */
  const rebuttalWith = async (overrides: Record<string, string>, ...args: string[]) => {
    try {
      const { stdout, stderr } = await run('node', [path.join(ROOT, 'bin/rebuttal.cjs'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env, ...overrides } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const rebuttal = (...args: string[]) => rebuttalWith({}, ...args);
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
      QUEUE_PREFIX: queuePrefix('cli'),
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
    await db?.destroy();
    await server?.stop();
    await paypalApi.close();
    await database?.drop();
  });

  it('replays every scenario signed as its provider would, and the disputes end where each story does', async () => {
    const replayed = await rebuttal('replay', path.join(FIXTURES, 'scenarios'));
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    const lines = replayed.stdout.trim().split('\n');
    expect(lines).toHaveLength(26);
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

  it('a second replay without --fresh produces duplicates only; with --fresh, new events for every provider', async () => {
    const before = await db.selectFrom('events').select('id').execute();
    const again = await rebuttal('replay', path.join(FIXTURES, 'scenarios'));
    expect(again.code).toBe(0);
    const againLines = again.stdout.trim().split('\n');
    expect(againLines).toHaveLength(26);
    expect(againLines.filter((l) => !/ 200 {2}duplicate of [0-9a-f-]{36}$/.test(l))).toEqual([]);
    expect((await db.selectFrom('events').select('id').execute()).length).toBe(before.length);

    const deadlines = async () =>
      Object.fromEntries((await db.selectFrom('disputes').select(['provider_dispute_id', 'due_by']).execute()).map((d) => [d.provider_dispute_id, d.due_by?.getTime() ?? 0]));
    const dueBefore = await deadlines();
    const stories = ['stripe-inquiry-to-chargeback', 'paypal-inquiry-to-chargeback', 'square-inquiry-to-chargeback'].map((s) => path.join(FIXTURES, 'scenarios', s));
    const fresh = await rebuttal('replay', '--fresh', ...stories);
    expect(fresh.code).toBe(0);
    const freshLines = fresh.stdout.trim().split('\n');
    expect(freshLines).toHaveLength(7);
    expect(freshLines.filter((l) => !/ 200 {2}new [0-9a-f-]{36}$/.test(l))).toEqual([]);
    expect((await db.selectFrom('events').select('id').execute()).length).toBe(before.length + 7);
    await settledAll();
    const processed = await rebuttal('events', '--status', 'processed', '--limit', '7');
    expect(processed.stdout.trim().split('\n')).toHaveLength(8);
    for (const provider of ['stripe', 'paypal', 'square']) expect(processed.stdout).toMatch(new RegExp(`^[0-9a-f-]{36}  ${provider} `, 'm'));
    // the escalated disputes keep their place in the story, with deadlines moved by the same offset
    const dueAfter = await deadlines();
    for (const id of ['du_1QnA2sLzW8xYp1Aa3eKw5tOf', 'PP-D-22010', 'Vn3sKq8tYw2ZpM6rXc1BdF']) expect(dueAfter[id]).toBeGreaterThan(dueBefore[id]!);
    const due = await rebuttal('disputes', '--due-within', '60d');
    expect(due.stdout).toMatch(/^\d+d left +stripe +\$25\.00 .* needs_response +chargeback/m);
    expect(due.stdout).toMatch(/^\d+d left +paypal +¥5,000 .* needs_response +chargeback/m);
    expect(due.stdout).toMatch(/^\d+d left +square +\$99\.00 .* needs_response +chargeback/m);
    expect(due.stdout).not.toMatch(/ (won|lost) /);
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
    const stripeEvent = path.join(FIXTURES, 'stripe/charge.dispute.created.json');
    const closedPort = String(await freePort());
    const [unknownEvent, noFixture, badDuration, noSecret, noReceiver] = await Promise.all([
      rebuttal('redrive', 'not-an-id'),
      rebuttal('replay', 'fixtures/nowhere'),
      rebuttal('disputes', '--due-within', 'soon'),
      rebuttalWith({ STRIPE_WEBHOOK_SECRETS: '' }, 'replay', stripeEvent),
      rebuttalWith({ PORT: closedPort }, 'replay', stripeEvent),
    ]);
    expect(unknownEvent).toMatchObject({ code: 1, stderr: 'rebuttal: no event not-an-id\n' });
    expect(noFixture).toMatchObject({ code: 1, stderr: 'rebuttal: no such file or folder: fixtures/nowhere\n' });
    expect(badDuration).toMatchObject({ code: 1, stderr: "error: option '--due-within <duration>' argument 'soon' is invalid. use a duration such as 72h, 30m or 7d\n" });
    expect(noSecret).toMatchObject({ code: 1, stderr: 'rebuttal: cannot sign stripe events: STRIPE_WEBHOOK_SECRETS is not set\n' });
    expect(noReceiver).toMatchObject({ code: 1, stderr: `rebuttal: cannot reach the receiver at http://127.0.0.1:${closedPort} (ECONNREFUSED): start it with \`npm start\` or pass --to\n` });
  });

  it('doctor exits 0 on a good setup, and non-zero with one line when something needs fixing', async () => {
    const [good, badSetting, noRedis] = await Promise.all([
      rebuttal('doctor'),
      rebuttalWith({ SQUARE_WEBHOOK_URL: 'http://merchant.example.com/webhooks/square' }, 'doctor'),
      rebuttalWith({ STRIPE_WEBHOOK_SECRETS: 'not-a-secret', REDIS_URL: 'redis://127.0.0.1:1' }, 'doctor'),
    ]);
    expect(good).toMatchObject({ code: 0, stderr: '' });
    expect(good.stdout).toMatch(/^ok {4}postgres/m);
    expect(good.stdout).toMatch(/^ok {4}migrations/m);
    expect(good.stdout).toMatch(/^ok {4}redis/m);
    expect(badSetting).toMatchObject({ code: 1, stderr: 'rebuttal: 1 problem(s) to fix\n' });
    expect(badSetting.stdout).toMatch(/^FAIL {2}square webhooks: SQUARE_WEBHOOK_URL must be the absolute https URL/m);
    expect(noRedis).toMatchObject({ code: 1, stderr: 'rebuttal: 2 problem(s) to fix\n' });
    expect(noRedis.stdout).toMatch(/^FAIL {2}settings: Invalid setting STRIPE_WEBHOOK_SECRETS.*\nok {4}postgres: .*\nok {4}migrations: .*\nok {4}notifications: .*\nFAIL {2}redis: 127\.0\.0\.1:1 does not answer/);
  });
});
