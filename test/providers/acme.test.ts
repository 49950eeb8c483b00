import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROVIDER_MODULES } from '../../src/providers';
import { startWorkers } from '../../workers';
import { get, post, put } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';
import { acmeModule } from './acme/module';

/** The one registration line: the built-in providers and the toy one. */
const MODULES = [...PROVIDER_MODULES, acmeModule];

const EVENT = readFileSync(path.join(__dirname, 'acme', 'case.opened.json'), 'utf8');

describe('a fourth provider is its folder and one registration line (toy "Acme Pay", real PostgreSQL, Redis, workers)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig(database.url, { ACME_WEBHOOK_SECRET: 'acme-secret-for-tests' }, { providers: MODULES });
    receiver = await startTestReceiver(config, { providerModules: MODULES });
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await database.drop();
  });

  it('its webhook is verified with its own signature: a wrong one is refused and nothing is stored', async () => {
    const answer = await post(`${receiver.url}/webhooks/acme`, EVENT, { 'acme-signature': '00'.repeat(32) });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'invalid_signature' });
    expect((await get(`${receiver.url}/api/events`, adminHeaders())).json.events).toEqual([]);
  });

  it('a signed case becomes a canonical dispute, gathers the merchant’s order and gets a packet in Acme’s own format', async () => {
    const order = {
      paymentIds: ['acme_pay_9001'],
      placedAt: '2026-11-10T08:00:00Z',
      amount: { value: 5400, currency: 'EUR' },
      customer: { name: 'Ines Duarte', email: 'ines@example.pt' },
      items: [{ description: 'Ceramic teapot', quantity: 1 }],
    };
    expect((await put(`${receiver.url}/api/orders/A-1001`, JSON.stringify(order), adminHeaders({ 'content-type': 'application/json' }))).status).toBe(200);
    const shipment = { carrier: 'CTT', trackingNumber: 'RR123456785PT', shippedAt: '2026-11-11T09:00:00Z', deliveredAt: '2026-11-14T12:00:00Z', status: 'delivered' };
    await put(`${receiver.url}/api/orders/A-1001/shipments/S-1`, JSON.stringify(shipment), adminHeaders({ 'content-type': 'application/json' }));

    const answer = await post(`${receiver.url}/webhooks/acme`, EVENT, acmeModule.replay.sign(EVENT, receiver.runtime.config.providers.acme as { secret: string }));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ received: true, duplicate: false });

    const dispute = await waitFor(async () => {
      const { json } = await get(`${receiver.url}/api/disputes`, adminHeaders());
      return json.disputes.find((d: any) => d.provider === 'acme' && d.orderId === 'A-1001');
    }, 20_000, 'the Acme dispute linked to its order');
    expect(dispute).toMatchObject({
      providerDisputeId: 'acme_case_77',
      providerPaymentId: 'acme_pay_9001',
      amount: { value: 5400, currency: 'EUR' },
      reason: 'product_not_received',
      status: 'needs_response',
    });
    const packet = await waitFor(async () => {
      const { json } = await get(`${receiver.url}/api/disputes/${dispute.id}/packet`, adminHeaders());
      return json.providerPayload?.tracking ? json : undefined;
    }, 20_000, 'a packet with the tracking');
    expect(packet.providerPayload).toEqual({ statement: expect.stringContaining('Order A-1001'), tracking: 'CTT RR123456785PT' });
  });
});
