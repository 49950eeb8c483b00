import { findEvent } from '../../src/db/events';
import { startWorkers } from '../../workers';
import { FakePaypal } from '../fakes/paypal';
import { deliver, settled } from '../support/deliver';
import { DEV_KEYS, fixtureJson, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

describe('events → canonical disputes (real worker, PostgreSQL, Redis; fake PayPal API)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const paypalApi = new FakePaypal();
  const send = (provider: 'stripe' | 'paypal' | 'square', body: string) => deliver(receiver.url, receiver.runtime.config, provider, body);
  const disputeByProviderId = async (providerDisputeId: string) => {
    const { json } = await get(`${receiver.url}/api/disputes`, adminHeaders());
    const summary = json.disputes.find((d: any) => d.providerDisputeId === providerDisputeId);
    return summary && (await get(`${receiver.url}/api/disputes/${summary.id}`, adminHeaders())).json;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await paypalApi.start();
    receiver = await startTestReceiver(
      testConfig(database.url, {
        STRIPE_WEBHOOK_SECRETS: 'whsec_pipeline_0123456789',
        SQUARE_SIGNATURE_KEYS: 'sq-pipeline-key',
        SQUARE_WEBHOOK_URL: 'https://merchant.example.com/webhooks/square',
        PAYPAL_WEBHOOK_ID: 'WH-PIPELINE',
        PAYPAL_CERT_FILE: DEV_KEYS.paypalCertFile,
        PAYPAL_CLIENT_ID: 'pipeline-client',
        PAYPAL_CLIENT_SECRET: 'pipeline-secret',
        PAYPAL_API_BASE: paypalApi.url,
      }),
      { jobOptions: { events: { attempts: 3, backoff: { type: 'fixed', delay: 100 } } } },
    );
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await paypalApi.close();
    await database.drop();
  });

  it('a Stripe story delivered late, twice and out of order ends where its latest fact puts it', async () => {
    const files = ['closed.won', 'updated', 'created', 'funds_reinstated', 'funds_withdrawn', 'created', 'updated'];
    for (const file of files) {
      const { eventId } = await send('stripe', fixtureText(`stripe/charge.dispute.${file}.json`));
      await settled(receiver.runtime.db, eventId);
    }
    const dispute = await disputeByProviderId('du_1QkZr9LzW8xYp1Aa5bHc2mPq');
    expect(dispute).toMatchObject({
      provider: 'stripe',
      providerPaymentId: 'ch_3QkZq2LzW8xYp1Aa0n4dR7sT',
      amount: { value: 4599, currency: 'USD' },
      reason: 'product_not_received',
      providerReason: 'product_not_received',
      status: 'won',
      providerStatus: 'won',
      stage: 'chargeback',
      outcome: 'won',
      dueBy: new Date(1795356311 * 1000).toISOString(),
      openedAt: new Date(1793628311 * 1000).toISOString(),
      closedAt: new Date(1797170711 * 1000).toISOString(),
      orderId: null,
      submissions: [],
    });
    expect(dispute.timeline.map((t: any) => t.type)).toEqual([
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.updated',
      'charge.dispute.closed',
      'charge.dispute.funds_reinstated',
    ]);
    expect(dispute.timeline.find((t: any) => t.type === 'charge.dispute.updated')).toMatchObject({ applied: false, note: expect.stringContaining('skipped') });
  });

  it('announces what changed to the stages that listen: evidence, alerts, submissions; not sources, as none is enabled', async () => {
    const { eventId } = await send('stripe', fixtureText('stripe/charge.dispute.created.kwd.json'));
    await settled(receiver.runtime.db, eventId);
    const dispute = await disputeByProviderId('du_1QqH3wLzW8xYp1Aa8hNz7vQh');
    expect(dispute).toMatchObject({ amount: { value: 1234, currency: 'KWD' }, status: 'needs_response', reason: 'duplicate' });
    for (const queue of ['evidence', 'alerts', 'submissions'] as const) {
      const jobs = await receiver.runtime.queues[queue].getJobs(['waiting', 'active', 'completed', 'delayed']);
      expect(jobs.map((j) => [j.name, j.data.disputeId])).toContainEqual(['dispute.opened', dispute.id]);
    }
    expect(await receiver.runtime.queues.sources.getJobCounts('waiting', 'active', 'completed', 'delayed')).toEqual({ waiting: 0, active: 0, completed: 0, delayed: 0 });
  });

  it('completes a partial PayPal payload from the PayPal API: amount and due date', async () => {
    const { eventId } = await send('paypal', fixtureText('paypal/CUSTOMER.DISPUTE.CREATED.partial.json'));
    expect(await settled(receiver.runtime.db, eventId)).toMatchObject({ status: 'processed' });
    expect(await disputeByProviderId('PP-D-21903')).toMatchObject({
      amount: { value: 8950, currency: 'USD' },
      dueBy: '2026-12-02T14:05:11.000Z',
      reason: 'product_unacceptable',
      status: 'needs_response',
      stage: 'inquiry',
      providerPaymentId: '9XG48116JM6629204',
    });
    const read = paypalApi.calls('GET', '/v1/customer/disputes/PP-D-21903');
    expect(read.at(-1)!.headers.authorization).toBe('Bearer A21AAFakeAccessToken');
    expect(paypalApi.calls('POST', '/v1/oauth2/token')[0]!.headers.authorization).toBe(`Basic ${Buffer.from('pipeline-client:pipeline-secret').toString('base64')}`);
  });

  it('retries when the PayPal API fails, then marks the event failed; a redrive after it recovers processes it', async () => {
    const partial = fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.partial.json');
    partial.id = 'WH-RETRY-0001';
    partial.resource.dispute_id = 'PP-D-77001';
    const full = { ...fixtureJson<any>('paypal/api/get-dispute.PP-D-21903.json'), dispute_id: 'PP-D-77001' };
    paypalApi.disputes.set('PP-D-77001', full);
    paypalApi.script('GET', '/v1/customer/disputes/PP-D-77001', ...Array(3).fill({ status: 503, json: { name: 'SERVICE_UNAVAILABLE' } }));

    const { eventId } = await send('paypal', JSON.stringify(partial));
    const failed = await settled(receiver.runtime.db, eventId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringContaining('PayPal answered 503') });
    expect(paypalApi.calls('GET', '/v1/customer/disputes/PP-D-77001')).toHaveLength(3);
    expect(await disputeByProviderId('PP-D-77001')).toBeUndefined();

    expect((await post(`${receiver.url}/api/events/${eventId}/redrive`, '', adminHeaders())).status).toBe(202);
    await waitFor(async () => (await findEvent(receiver.runtime.db, eventId))?.status === 'processed', 10_000, 'the redrive');
    expect(await disputeByProviderId('PP-D-77001')).toMatchObject({ amount: { value: 8950, currency: 'USD' }, dueBy: '2026-12-02T14:05:11.000Z' });
  });

  it('fails an event of an unknown shape for good with a readable reason, and goes on with the others', async () => {
    const strange = fixtureJson<any>('square/dispute.created.json');
    strange.event_id = 'b7f1c1d2-0000-4000-8000-00000000dead';
    delete strange.data.object.object.version;
    const bad = await send('square', JSON.stringify(strange));
    const good = await send('square', fixtureText('square/dispute.created.inquiry.json'));
    expect(await settled(receiver.runtime.db, bad.eventId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/unknown square payload shape: .*version/),
    });
    expect(await settled(receiver.runtime.db, good.eventId)).toMatchObject({ status: 'processed' });
    const { json } = await get(`${receiver.url}/api/events?status=failed&provider=square`, adminHeaders());
    expect(json.events.map((e: any) => e.id)).toContain(bad.eventId);
  });

  it('fails an event for good when the PayPal API refuses to show its dispute, in PayPal\'s words', async () => {
    const partial = fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.partial.json');
    partial.id = 'WH-REFUSED-0001';
    partial.resource.dispute_id = 'PP-D-40400';
    const { eventId } = await send('paypal', JSON.stringify(partial));
    expect(await settled(receiver.runtime.db, eventId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'paypal refused the request (404): RESOURCE_NOT_FOUND: The specified resource does not exist.: INVALID_RESOURCE_ID',
    });
  });

  it('fails an event whose amount is in a currency ISO 4217 does not know, for good', async () => {
    const event = fixtureJson<any>('stripe/charge.dispute.created.json');
    event.id = 'evt_unknown_currency';
    event.data.object.id = 'du_unknown_currency';
    event.data.object.currency = 'xyz';
    const { eventId } = await send('stripe', JSON.stringify(event));
    expect(await settled(receiver.runtime.db, eventId)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'cannot read this stripe payload: unknown currency "xyz"' });
  });

  it('records an early fraud warning as a warning, not a dispute', async () => {
    const body = JSON.stringify({ id: 'evt_efw_1', object: 'event', type: 'radar.early_fraud_warning.created', created: 1793628311, data: { object: { id: 'issfr_1', object: 'radar.early_fraud_warning', charge: 'ch_1' } } });
    const { eventId } = await send('stripe', body);
    expect(await settled(receiver.runtime.db, eventId)).toMatchObject({ status: 'processed' });
    const warning = await receiver.runtime.db.selectFrom('warnings').selectAll().where('provider_warning_id', '=', 'issfr_1').executeTakeFirstOrThrow();
    // Without STRIPE_SECRET_KEY the charge cannot be read: the amount stays unknown.
    expect(warning).toMatchObject({ provider: 'stripe', provider_payment_id: 'ch_1', reason: 'unknown', amount_value: null });
    expect(await receiver.runtime.db.selectFrom('disputes').select('id').where('provider_payment_id', '=', 'ch_1').execute()).toEqual([]);
  });

  it('lists disputes soonest deadline first, filtered by status, provider and dueBefore', async () => {
    const all = (await get(`${receiver.url}/api/disputes`, adminHeaders())).json.disputes as any[];
    const deadlines = all.map((d) => d.dueBy).filter(Boolean);
    expect(deadlines).toEqual([...deadlines].sort());
    const open = (await get(`${receiver.url}/api/disputes?status=needs_response&provider=paypal`, adminHeaders())).json.disputes as any[];
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((d) => d.status === 'needs_response' && d.provider === 'paypal')).toBe(true);
    const soon = (await get(`${receiver.url}/api/disputes?dueBefore=2026-11-21T00:00:00Z`, adminHeaders())).json.disputes as any[];
    expect(soon.every((d) => d.dueBy < '2026-11-21T00:00:00Z')).toBe(true);
    expect((await get(`${receiver.url}/api/disputes?status=lost-ish`, adminHeaders())).status).toBe(400);
    expect((await get(`${receiver.url}/api/disputes/00000000-0000-4000-8000-000000000000`, adminHeaders())).status).toBe(404);
  });
});
