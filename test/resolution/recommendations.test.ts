import { findSubmission } from '../../src/submission/repository';
import { startWorkers } from '../../workers';
import { FakeStripe } from '../fakes/stripe';
import { insertDispute } from '../support/disputes';
import { fixtureJson } from '../support/fixtures';
import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

const put = (url: string, body: unknown) => fetch(url, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...adminHeaders() } });

describe('recommendations on every open dispute, recomputed with the packet; AUTO_ACCEPT_BELOW', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const fake = new FakeStripe();
  let counter = 0;

  const detail = async (id: string) => (await get(`${receiver.url}/api/disputes/${id}`, adminHeaders())).json;
  const order = (paymentId: string) => ({
    paymentIds: [paymentId],
    placedAt: '2026-11-10T09:00:00Z',
    amount: { value: 8950, currency: 'USD' },
    customer: {
      name: 'Ines Moreau',
      email: `ines.moreau+${paymentId}@example.fr`,
      shippingAddress: { line1: '12 rue des Lilas', city: 'Lyon', postalCode: '69003', country: 'FR' },
    },
    items: [{ description: 'Walnut desk lamp', quantity: 1, unitAmount: 8950 }],
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    await fake.start();
    receiver = await startTestReceiver(
      testConfig(database.url, { STRIPE_SECRET_KEY: 'sk_test_fake_0123456789', STRIPE_API_BASE: fake.url, SUBMIT_MODE: 'auto', AUTO_ACCEPT_BELOW: '5.00 USD' }),
    );
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await fake.close();
    await database.drop();
  });

  it('adding a tracking number to a not-received dispute moves it from accept to fight', async () => {
    const paymentId = `ch_reco_${counter++}`;
    const id = await insertDispute(receiver.runtime.db, { provider_payment_id: paymentId, amount_value: 8950, reason: 'product_not_received' });
    expect((await put(`${receiver.url}/api/orders/order-reco-1`, order(paymentId))).status).toBe(200);
    const before = await waitFor(async () => {
      const d = await detail(id);
      return d.packet && d.recommendation?.reasons.some((r: string) => r.startsWith('missing what this reason is decided on')) ? d : undefined;
    }, 30_000, 'the first recommendation');
    expect(before.recommendation).toMatchObject({ action: 'accept', winProbability: 0.06, expectedRecovery: { value: 537, currency: 'USD' }, costs: { value: 2500, currency: 'USD' } });

    const shipment = {
      carrier: 'Colissimo',
      trackingNumber: '6A12345678901',
      shippedAt: '2026-11-11T15:00:00Z',
      deliveredAt: '2026-11-14T10:20:00Z',
      status: 'delivered',
      deliveryAddress: { line1: '12 rue des Lilas', city: 'Lyon', postalCode: '69003', country: 'FR' },
    };
    expect((await put(`${receiver.url}/api/orders/order-reco-1/shipments/shp-1`, shipment)).status).toBe(200);
    const after = await waitFor(async () => {
      const d = await detail(id);
      return d.recommendation?.action === 'fight' ? d : undefined;
    }, 15_000, 'the recommendation to change');
    expect(after.recommendation.winProbability).toBeGreaterThan(before.recommendation.winProbability);
    expect(after.recommendation.reasons.at(-1)).toMatch(/^fight: worth \$/);
    const listed = (await get(`${receiver.url}/api/disputes`, adminHeaders())).json.disputes.find((d: any) => d.id === id);
    expect(listed.recommendation).toEqual(after.recommendation);
  });

  it('a dispute that no longer takes a response has no recommendation', async () => {
    const id = await insertDispute(receiver.runtime.db, { status: 'won', outcome: 'won', provider_status: 'won' });
    expect((await detail(id)).recommendation).toBeNull();
  });

  it('in auto mode a dispute expected to recover less than AUTO_ACCEPT_BELOW is accepted, with a staff alert', async () => {
    const remote = structuredClone(fixtureJson<any>('stripe/charge.dispute.created.json').data.object);
    remote.id = `du_auto_${counter++}`;
    remote.amount = 900;
    fake.disputes.set(remote.id, remote);
    const id = await insertDispute(receiver.runtime.db, { provider_dispute_id: remote.id, amount_value: 900, reason: 'fraud', provider_payment_id: `ch_auto_${counter}` });
    // Any change of the dispute sets the recommendation and the auto rules going (here: as the event pipeline would announce it).
    await receiver.runtime.queues.submissions.add('dispute.updated', { disputeId: id, change: 'updated', at: new Date().toISOString() });
    const accepted = await waitFor(async () => {
      const d = await detail(id);
      return d.status === 'accepted' ? d : undefined;
    }, 15_000, 'the automatic acceptance');
    expect(accepted.submissions).toEqual([expect.objectContaining({ kind: 'accept', requestedBy: 'auto', status: 'sent' })]);
    expect(accepted.recommendation).toBeNull();
    expect(fake.calls('POST', `/v1/disputes/${remote.id}/close`)).toHaveLength(1);
    const alertJobs = await receiver.runtime.queues.alerts.getJobs(['waiting', 'active', 'completed', 'delayed']);
    expect(alertJobs.map((j) => [j.name, j.data.disputeId])).toContainEqual(['dispute.auto_accepted', id]);
    await waitFor(async () => (await detail(id)).alerts.some((a: any) => a.kind === 'auto_accepted'), 15_000, 'the auto_accepted alert');
    expect(await findSubmission(receiver.runtime.db, accepted.submissions[0].id)).toMatchObject({ providerAnswers: [expect.objectContaining({ call: 'disputes.close' })] });
  });

  it('a dispute worth fighting is not accepted automatically', async () => {
    const id = await insertDispute(receiver.runtime.db, { amount_value: 250000, reason: 'product_not_received', provider_payment_id: `ch_big_${counter++}` });
    await receiver.runtime.queues.submissions.add('dispute.updated', { disputeId: id, change: 'updated', at: new Date().toISOString() });
    const d = await waitFor(async () => {
      const row = await receiver.runtime.db.selectFrom('recommendations').selectAll().where('dispute_id', '=', id).executeTakeFirst();
      return row ? detail(id) : undefined;
    }, 15_000, 'the recommendation');
    expect(d.recommendation.action).toBe('fight');
    expect(d.status).toBe('needs_response');
    expect(d.submissions.filter((s: any) => s.kind === 'accept')).toHaveLength(0);
  });
});
