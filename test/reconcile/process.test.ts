import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { reconcilePanel } from '../../src/http/dashboard/reconcile-panel';
import { FakeStripe, STRIPE_ERROR } from '../fakes/stripe';
import { get } from '../support/http';
import { adminHeaders, createTestDatabase, queuePrefix, waitFor } from '../support/services';
import { ROOT, spawnServer, type SpawnedServer } from '../support/spawn-server';

const run = promisify(execFile);

describe('reconciliation in the running service and from the command line', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: SpawnedServer;
  const stripe = new FakeStripe();
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

  beforeAll(async () => {
    database = await createTestDatabase();
    await stripe.start();
    env = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: queuePrefix('reconcile'),
      STRIPE_SECRET_KEY: 'sk_test_reconcile_process_0123',
      STRIPE_API_BASE: stripe.url,
      RECONCILE_INTERVAL: '15m',
      LOG_LEVEL: 'warn',
    };
    server = await spawnServer(env);
  });
  afterAll(async () => {
    await server?.stop();
    await stripe.close();
    await database.drop();
  });

  it('runs at start: the dispute no webhook delivered is found without anyone asking', async () => {
    const stripeStatus = await waitFor(async () => {
      const { json } = await get(`${server.url}/api/reconcile`, adminHeaders());
      const status = json.providers.find((p: any) => p.provider === 'stripe');
      return status?.lastRunAt ? status : undefined;
    }, 60_000, 'the reconciliation at start');
    expect(stripeStatus).toMatchObject({ lastError: null, watermark: expect.any(String) });
    const metrics = await waitFor(async () => {
      const { text } = await get(`${server.url}/metrics`, adminHeaders());
      return text.includes('rebuttal_reconcile_found_total{provider="stripe"} 1') ? text : undefined;
    }, 10_000, 'the found count');
    expect(metrics).toContain('rebuttal_reconcile_found_total{provider="stripe"} 1');
    const { json } = await get(`${server.url}/api/events?provider=stripe`, adminHeaders());
    expect(json.events).toEqual([expect.objectContaining({ source: 'reconcile' })]);
    // Logged as it happened, and on stdout within a second.
    await waitFor(async () => server.output().includes('reconciliation found a dispute change no webhook delivered'), 1_000, 'the warning on stdout');
  });

  it('`rebuttal reconcile` runs it now and prints a line per provider', async () => {
    const { code, stdout } = await rebuttal('reconcile');
    expect(code).toBe(0);
    expect(stdout.split('\n')[1]).toMatch(/^stripe\s+1\s+0\s+ok$/);
  });

  it('`rebuttal reconcile` exits non-zero with one line when a provider refuses the list', async () => {
    stripe.script('GET', '/v1/disputes', STRIPE_ERROR('Invalid API Key provided: sk_test_****0123', 'api_key_invalid'));
    const { code, stderr } = await rebuttal('reconcile');
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^rebuttal: stripe: stripe refused the request \(400\)/)]);
    const { json } = await get(`${server.url}/api/reconcile`, adminHeaders());
    expect(json.providers[0]).toMatchObject({ provider: 'stripe', lastError: expect.stringContaining('400') });
  });

  it('the dashboard shows each provider\'s last run and its error', () => {
    const panel = reconcilePanel([
      { provider: 'stripe', lastRunAt: '2026-11-25T10:00:00.000Z', lastError: null, found: 2, watermark: '2026-11-25T10:00:00.000Z' },
      { provider: 'paypal', lastRunAt: '2026-11-25T10:00:00.000Z', lastError: 'PayPal answered 503 <script>', found: 0, watermark: null },
    ]).value;
    expect(panel).toContain('Webhook reconciliation');
    expect(panel).toMatch(/data-provider="stripe">.*found 2, ok<\/li>/s);
    expect(panel).toContain('error: PayPal answered 503 &lt;script&gt;');
  });
});
