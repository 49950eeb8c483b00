import { createDb, type Db } from '../../src/db/pool';
import { paypalModule } from '../../src/providers/paypal/module';
import { squareModule } from '../../src/providers/square/module';
import { stripeModule } from '../../src/providers/stripe/module';
import { paypalLister } from '../../src/providers/paypal/list';
import { squareLister } from '../../src/providers/square/list';
import { squareSignature } from '../../src/providers/square/sign';
import { stripeLister } from '../../src/providers/stripe/list';
import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { webhooksMissingAlert } from '../../src/reconcile/alert';
import type { DisputeLister } from '../../src/ports';
import { reconcile, type ReconcileDeps } from '../../src/reconcile/run';
import { startWorkers } from '../../workers';
import { FakePaypal } from '../fakes/paypal';
import { RecordingServer } from '../fakes/recording-server';
import { FakeSquare } from '../fakes/square';
import { FakeStripe } from '../fakes/stripe';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

const STRIPE_SECRET = 'whsec_reconcile_0123456789';
const SQUARE_KEY = 'square-reconcile-signature-key';
const SQUARE_URL = 'https://rebuttal.example.com/webhooks/square';

describe('reconciliation with each provider\'s dispute list', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  let db: Db;
  const stripe = new FakeStripe();
  const paypal = new FakePaypal();
  const square = new FakeSquare();
  const slack = new RecordingServer([['POST', '/slack', () => ({ status: 200, json: 'ok' })]]);
  let deps: ReconcileDeps;
  /** Small pages, so a handful of disputes spans several. */
  let listers: Map<string, DisputeLister>;

  beforeAll(async () => {
    database = await createTestDatabase();
    await Promise.all([stripe.start(), paypal.start(), square.start(), slack.start()]);
    const config = testConfig(database.url, {
      STRIPE_SECRET_KEY: 'sk_test_reconcile_0123456789',
      STRIPE_API_BASE: stripe.url,
      STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET,
      PAYPAL_CLIENT_ID: 'reconcile-client',
      PAYPAL_CLIENT_SECRET: 'reconcile-secret',
      PAYPAL_API_BASE: paypal.url,
      SQUARE_ACCESS_TOKEN: 'EAAAl-reconcile-token',
      SQUARE_API_BASE: square.url,
      SQUARE_SIGNATURE_KEYS: SQUARE_KEY,
      SQUARE_WEBHOOK_URL: SQUARE_URL,
      SLACK_WEBHOOK_URL: `${slack.url}/slack`,
      RECONCILE_INTERVAL: '0',
    });
    receiver = await startTestReceiver(config);
    workers = startWorkers(receiver.runtime);
    db = createDb(database.url);
    const settings = config.providers;
    square.pageSize = 2;
    listers = new Map([
      ['stripe', stripeLister(stripeModule.client(settings.stripe)!, { pageSize: 2 })],
      ['paypal', paypalLister(paypalModule.client(settings.paypal)!, { pageSize: 2 })],
      ['square', squareLister(squareModule.client(settings.square)!)],
    ]);
    const { runtime } = receiver;
    deps = { db: runtime.db, log: runtime.log, listers, events: runtime.queues.events, webhooksMissing: webhooksMissingAlert(runtime.db, runtime.queues.alerts) };
  });

  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await db.destroy();
    await Promise.all([stripe.close(), paypal.close(), square.close(), slack.close()]);
    await database.drop();
  });

  const disputeOf = (provider: string, providerDisputeId: string) =>
    db.selectFrom('disputes').selectAll().where('provider', '=', provider as never).where('provider_dispute_id', '=', providerDisputeId).executeTakeFirst();

  const eventsSettled = () =>
    waitFor(async () => {
      const pending = await db.selectFrom('events').select('id').where('status', 'in', ['received', 'queued']).execute();
      return pending.length === 0;
    }, 20_000, 'every event to be processed');

  it('finds a dispute whose webhook never came, processes it like a webhook and tells staff that webhooks are not arriving', async () => {
    const result = await reconcile(deps);
    expect(result).toEqual({
      ran: true,
      providers: expect.arrayContaining([
        { provider: 'stripe', listed: 1, found: 1, error: null },
        { provider: 'paypal', listed: 1, found: 1, error: null },
        { provider: 'square', listed: 1, found: 1, error: null },
      ]),
    });
    await eventsSettled();
    const found = await db.selectFrom('events').select(['provider', 'provider_event_id', 'status', 'source']).orderBy('provider').execute();
    expect(found).toEqual([
      { provider: 'paypal', provider_event_id: 'reconcile:PP-D-21903:2026-11-12T14:05:11.000Z', status: 'processed', source: 'reconcile' },
      { provider: 'square', provider_event_id: 'reconcile:XDgyFu7yo1E2S5lQGGpYn:v1', status: 'processed', source: 'reconcile' },
      { provider: 'stripe', provider_event_id: expect.stringMatching(/^reconcile:du_\w+:needs_response:[0-9a-f]{12}$/), status: 'processed', source: 'reconcile' },
    ]);

    const stripeDispute = await disputeOf('stripe', [...stripe.disputes.keys()][0]!);
    expect(stripeDispute).toMatchObject({ status: 'needs_response', amount_value: expect.anything() });
    const { json: detail } = await get(`${receiver.url}/api/disputes/${stripeDispute!.id}`, adminHeaders());
    expect(detail.timeline).toEqual([expect.objectContaining({ source: 'reconcile', applied: true })]);
    const { json: events } = await get(`${receiver.url}/api/events?provider=square`, adminHeaders());
    expect(events.events[0]).toMatchObject({ source: 'reconcile', status: 'processed' });

    // Once per provider: three "not arriving" alerts, on Slack.
    const said = await waitFor(async () => {
      const texts = slack.calls('POST', '/slack').map((c) => JSON.stringify(c.json)).filter((t) => t.includes('are not arriving'));
      return texts.length >= 3 ? texts : undefined;
    }, 30_000, 'the not-arriving alerts');
    expect(said.some((t) => t.includes('Webhooks from Stripe are not arriving'))).toBe(true);
    expect(said.some((t) => t.includes('Webhooks from PayPal are not arriving'))).toBe(true);
    expect(said.some((t) => t.includes('Webhooks from Square are not arriving'))).toBe(true);

    const { status, json } = await get(`${receiver.url}/api/reconcile`, adminHeaders());
    expect(status).toBe(200);
    expect(json.providers).toEqual([
      { provider: 'stripe', lastRunAt: expect.any(String), lastError: null, found: 1, watermark: expect.any(String) },
      { provider: 'paypal', lastRunAt: expect.any(String), lastError: null, found: 1, watermark: expect.any(String) },
      { provider: 'square', lastRunAt: expect.any(String), lastError: null, found: 1, watermark: expect.any(String) },
    ]);
    const metrics = await get(`${receiver.url}/metrics`, adminHeaders());
    expect(metrics.text).toContain('rebuttal_reconcile_found_total{provider="stripe"} 1');
    expect(metrics.text).toContain('rebuttal_reconcile_found_total{provider="square"} 1');
  });

  it('a second run finds nothing, and the webhook that finally comes for the same state changes nothing', async () => {
    const again = await reconcile(deps);
    expect(again.ran && again.providers.map((p) => p.found)).toEqual([0, 0, 0]);

    const stripeBody = fixtureText('stripe/charge.dispute.created.json');
    const squareBody = fixtureText('square/dispute.created.json');
    const answers = [
      await post(`${receiver.url}/webhooks/stripe`, stripeBody, { 'stripe-signature': stripeSignatureHeader(stripeBody, STRIPE_SECRET) }),
      await post(`${receiver.url}/webhooks/square`, squareBody, { 'x-square-hmacsha256-signature': squareSignature(squareBody, SQUARE_URL, SQUARE_KEY) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await eventsSettled();
    for (const [provider, id] of [['stripe', fixtureJson<any>('stripe/charge.dispute.created.json').data.object.id], ['square', 'XDgyFu7yo1E2S5lQGGpYn']]) {
      const dispute = await disputeOf(provider, id);
      const timeline = await db.selectFrom('dispute_timeline').select(['source', 'changes']).where('dispute_id', '=', dispute!.id).orderBy('id').execute();
      expect(timeline).toEqual([
        { source: 'reconcile', changes: ['opened'] },
        { source: 'webhook', changes: [] },
      ]);
    }
    // Nothing was announced twice: one "opened" alert per dispute.
    const opened = await db.selectFrom('alerts').select('dispute_id').where('kind', '=', 'opened').execute();
    expect(opened).toHaveLength(3);
  });

  it('reads every page of each list (three pages of two)', async () => {
    const stripeTemplate = fixtureJson<any>('stripe/charge.dispute.created.json').data.object;
    const squareTemplate = fixtureJson<any>('square/dispute.created.json').data.object.object;
    const paypalTemplate = fixtureJson<any>('paypal/api/get-dispute.PP-D-21903.json');
    const recent = new Date(Date.now() - 60_000).toISOString();
    for (let i = 1; i <= 4; i++) {
      stripe.disputes.set(`du_page_${i}`, { ...structuredClone(stripeTemplate), id: `du_page_${i}`, created: stripeTemplate.created + i });
      square.disputes.set(`sq-page-${i}`, { ...structuredClone(squareTemplate), id: `sq-page-${i}`, created_at: recent, updated_at: recent });
      paypal.disputes.set(`PP-D-PAGE-${i}`, { ...structuredClone(paypalTemplate), dispute_id: `PP-D-PAGE-${i}`, update_time: recent });
    }
    const listCalls = () => [stripe.calls('GET', '/v1/disputes').length, paypal.calls('GET', '/v1/customer/disputes').length, square.calls('GET', '/v2/disputes').length];
    const before = listCalls();
    const result = await reconcile(deps);
    expect(result.ran && result.providers.map((p) => [p.provider, p.listed, p.found])).toEqual([
      ['stripe', 5, 4],
      ['paypal', 4, 4],
      ['square', 4, 4],
    ]);
    expect(listCalls().map((n, i) => n - before[i]!)).toEqual([3, 2, 3]);
    await eventsSettled();
    const processed = await db.selectFrom('disputes').select('provider_dispute_id').where('provider_dispute_id', 'ilike', '%page%').execute();
    expect(processed).toHaveLength(12);
  });

  it('a provider whose list fails keeps its watermark and its error is shown; the others are unaffected', async () => {
    const { json: before } = await get(`${receiver.url}/api/reconcile`, adminHeaders());
    const recent = new Date(Date.now() - 30_000).toISOString();
    stripe.disputes.set('du_after_outage', { ...structuredClone(fixtureJson<any>('stripe/charge.dispute.created.json').data.object), id: 'du_after_outage' });
    square.disputes.set('sq-after-outage', { ...structuredClone(fixtureJson<any>('square/dispute.created.json').data.object.object), id: 'sq-after-outage', updated_at: recent });
    paypal.script('GET', '/v1/customer/disputes', { status: 503, json: { name: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable.' } });

    const result = await reconcile(deps);
    expect(result.ran && result.providers).toEqual([
      { provider: 'stripe', listed: expect.any(Number), found: 1, error: null },
      { provider: 'paypal', listed: 0, found: 0, error: expect.stringContaining('503') },
      { provider: 'square', listed: expect.any(Number), found: 1, error: null },
    ]);
    const { json: after } = await get(`${receiver.url}/api/reconcile`, adminHeaders());
    const byProvider = (list: any[], p: string) => list.find((x) => x.provider === p);
    expect(byProvider(after.providers, 'paypal')).toMatchObject({ watermark: byProvider(before.providers, 'paypal').watermark, lastError: expect.stringContaining('503') });
    expect(byProvider(after.providers, 'stripe').watermark > byProvider(before.providers, 'stripe').watermark).toBe(true);
    expect(byProvider(after.providers, 'square')).toMatchObject({ lastError: null, found: 1 });

    // The next run succeeds and clears the error.
    const next = await reconcile(deps);
    expect(next.ran && next.providers.find((p) => p.provider === 'paypal')).toMatchObject({ error: null });
    await eventsSettled();
    // Found again today, but staff were told once per provider per day.
    expect(await db.selectFrom('reconcile_alerts').select('provider').execute()).toHaveLength(3);
  });

  it('runs one at a time: a run that finds another under way does nothing', async () => {
    const [a, b] = await Promise.all([reconcile(deps), reconcile(deps)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
  });

  it('POST /api/reconcile queues a run (202)', async () => {
    const answer = await post(`${receiver.url}/api/reconcile`, '{}', adminHeaders());
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ reconcile: { id: expect.any(String), status: 'queued' } });
    const job = await receiver.runtime.queues.maintenance.getJob(answer.json.reconcile.id);
    await waitFor(async () => (await job!.getState()) === 'completed', 30_000, 'the queued run');
  });
});
