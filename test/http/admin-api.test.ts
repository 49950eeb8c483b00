import v8 from 'node:v8';
import vm from 'node:vm';
import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

const SECRET = 'whsec_admin_api_0123456789';

describe('admin API: events', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: SECRET }));
    for (const file of ['charge.dispute.created.json', 'charge.dispute.updated.json', 'charge.dispute.created.jpy.json']) {
      const body = fixtureText(`stripe/${file}`);
      const answer = await post(`${receiver.url}/webhooks/stripe`, body, { 'stripe-signature': stripeSignatureHeader(body, SECRET) });
      ids[file] = answer.json.eventId;
    }
    await receiver.runtime.db.updateTable('events').set({ status: 'failed', last_error: 'boom', attempts: 6 }).where('id', '=', ids['charge.dispute.updated.json']!).execute();
  });
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });

  it.each(['/api/events', `/api/events/00000000-0000-4000-8000-000000000000`, '/metrics'])(
    'answers 401 to %s without the bearer token',
    async (path) => {
      expect((await get(`${receiver.url}${path}`)).status).toBe(401);
      expect((await get(`${receiver.url}${path}`, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    },
  );

  it('lists events newest first with the contract fields', async () => {
    const { status, json } = await get(`${receiver.url}/api/events`, adminHeaders());
    expect(status).toBe(200);
    expect(json.events).toHaveLength(3);
    expect(Object.keys(json.events[0]).sort()).toEqual(
      ['attempts', 'id', 'lastError', 'provider', 'providerEventId', 'receivedAt', 'source', 'status', 'type'].sort(),
    );
  });

  it('filters by status and provider, and limits', async () => {
    const failed = await get(`${receiver.url}/api/events?status=failed&provider=stripe`, adminHeaders());
    expect(failed.json.events).toEqual([expect.objectContaining({ id: ids['charge.dispute.updated.json'], status: 'failed', lastError: 'boom' })]);
    expect((await get(`${receiver.url}/api/events?limit=1`, adminHeaders())).json.events).toHaveLength(1);
  });

  it('refuses unknown filter values with 400 and details', async () => {
    const answer = await get(`${receiver.url}/api/events?status=exploded`, adminHeaders());
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'invalid_request', details: [expect.objectContaining({ path: 'status' })] });
  });

  it('shows one event with its payload as received', async () => {
    const { json } = await get(`${receiver.url}/api/events/${ids['charge.dispute.created.jpy.json']}`, adminHeaders());
    expect(json).toMatchObject({ provider: 'stripe', type: 'charge.dispute.created', payload: { data: { object: { currency: 'jpy', amount: 5000 } } } });
  });

  it('answers 404 for an unknown or malformed event id', async () => {
    expect((await get(`${receiver.url}/api/events/00000000-0000-4000-8000-000000000000`, adminHeaders())).status).toBe(404);
    expect((await get(`${receiver.url}/api/events/not-a-uuid`, adminHeaders())).status).toBe(404);
  });

  it('re-drives a failed event: queued again with a job of its own', async () => {
    const id = ids['charge.dispute.updated.json']!;
    const answer = await post(`${receiver.url}/api/events/${id}/redrive`, '', adminHeaders());
    expect(answer).toMatchObject({ status: 202, json: { eventId: id, status: 'queued' } });
    expect((await get(`${receiver.url}/api/events/${id}`, adminHeaders())).json.status).toBe('queued');
    const redrives = (await receiver.runtime.queues.events.getJobs(['waiting'])).filter((j) => j.id!.startsWith(`event-${id}-redrive-`));
    expect(redrives.map((j) => j.data)).toEqual([{ eventId: id }]);
  });

  it('exposes Prometheus metrics: webhooks by provider and outcome, latency, queue depth', async () => {
    const body = fixtureText('stripe/charge.dispute.created.json');
    await post(`${receiver.url}/webhooks/stripe`, body, { 'stripe-signature': 'v1=bad' });
    const { status, text } = await get(`${receiver.url}/metrics`, adminHeaders());
    expect(status).toBe(200);
    expect(text).toContain('rebuttal_webhooks_total{provider="stripe",outcome="accepted"} 3');
    expect(text).toContain('rebuttal_webhooks_total{provider="stripe",outcome="invalid_signature"} 1');
    expect(text).toContain('rebuttal_webhook_duration_seconds_bucket');
    expect(text).toMatch(/rebuttal_queue_jobs\{queue="events",state="waiting"\} \d+/);
  });

  it('tells the heap left after the latest full garbage collection, the figure a leak makes grow', async () => {
    // A full collection on demand, as --expose-gc would allow.
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
    await new Promise((resolve) => setImmediate(resolve));
    const { text } = await get(`${receiver.url}/metrics`, adminHeaders());
    const live = Number(/^rebuttal_heap_live_bytes (\S+)$/m.exec(text)?.[1]);
    expect(live).toBeGreaterThan(1e6);
    expect(live).toBeLessThanOrEqual(v8.getHeapStatistics().total_heap_size);
  });

  it('reports liveness and readiness without a token', async () => {
    expect(await get(`${receiver.url}/healthz`)).toMatchObject({ status: 200 });
    expect(await get(`${receiver.url}/readyz`)).toMatchObject({ status: 200, json: { postgres: 'up', redis: 'up' } });
  });
});
