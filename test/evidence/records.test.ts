import { startWorkers } from '../../workers';
import { deliver, settled } from '../support/deliver';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

const put = async (url: string, body: unknown) => {
  const response = await fetch(url, { method: 'PUT', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as any };
};
const importFile = (url: string, text: string) => post(`${url}/api/import`, text, { ...adminHeaders(), 'content-type': 'application/x-ndjson' });

describe('merchant records in, evidence packets out (real server, worker, PostgreSQL, Redis)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const snapshot = () => receiver.runtime.db.selectFrom('orders').select(['order_id', 'updated_at']).orderBy('order_id').execute();

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: 'whsec_evidence_0123456789' }));
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await database.drop();
  });

  it('imports an NDJSON file, and the same file twice changes nothing', async () => {
    const text = fixtureText('merchant/records.ndjson');
    const first = await importFile(receiver.url, text);
    expect(first).toMatchObject({ status: 200, json: { accepted: 23, rejected: [] } });
    const before = await snapshot();
    const again = await importFile(receiver.url, text);
    expect(again.json).toEqual({ accepted: 23, rejected: [] });
    expect(await snapshot()).toEqual(before);
    expect(await put(`${receiver.url}/api/policies`, fixtureJson('merchant/policies.json'))).toMatchObject({ status: 200, json: { changed: true } });
    expect(await put(`${receiver.url}/api/policies`, fixtureJson('merchant/policies.json'))).toMatchObject({ json: { changed: false } });
  });

  it('rejects exactly the bad lines of a file, by number, and applies nothing from them', async () => {
    const answer = await importFile(receiver.url, fixtureText('merchant/records-with-bad-lines.ndjson'));
    expect(answer.json.accepted).toBe(2);
    expect(answer.json.rejected.map((r: any) => r.line)).toEqual([2, 3, 5, 6]);
    expect(answer.json.rejected[1]).toEqual({ line: 3, error: 'not JSON' });
    expect(answer.json.rejected[2].error).toMatch(/order order-nobody not found/);
    expect(await receiver.runtime.db.selectFrom('orders').select('order_id').where('order_id', '=', 'order-bad-1').executeTakeFirst()).toBeUndefined();
    expect(await receiver.runtime.db.selectFrom('shipments').select('order_id').where('order_id', '=', 'order-nobody').executeTakeFirst()).toBeUndefined();
  });

  it('refuses a bad record body with 400 and details, and changes nothing', async () => {
    const answer = await put(`${receiver.url}/api/orders/order-new`, { paymentIds: [], placedAt: 'soon' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'invalid_request', details: expect.arrayContaining([expect.objectContaining({ path: 'paymentIds' })]) });
    expect(await receiver.runtime.db.selectFrom('orders').select('order_id').where('order_id', '=', 'order-new').executeTakeFirst()).toBeUndefined();
    const orphan = await put(`${receiver.url}/api/orders/order-ghost/shipments/s1`, { carrier: 'UPS', trackingNumber: '1Z', shippedAt: '2026-11-01T00:00:00Z', status: 'in_transit' });
    expect(orphan).toMatchObject({ status: 404, json: { error: 'order_not_found' } });
  });

  it('never stores a card number typed into a conversation', async () => {
    const rows = await receiver.runtime.db.selectFrom('messages').select('data').execute();
    const stored = JSON.stringify(rows);
    expect(stored).not.toMatch(/4242 ?4242 ?4242 ?4242/);
    expect(stored).toContain('My card is •••• 4242 if you need it');
  });

  it('links a dispute to its order through the payment id and builds its packet and PDF', async () => {
    const { eventId } = await deliver(receiver.url, receiver.runtime.config, 'stripe', fixtureText('stripe/charge.dispute.created.json'));
    await settled(receiver.runtime.db, eventId);
    const disputeId = (await receiver.runtime.db.selectFrom('disputes').select('id').where('provider_dispute_id', '=', 'du_1QkZr9LzW8xYp1Aa5bHc2mPq').executeTakeFirstOrThrow()).id;
    const dispute = await waitFor(async () => {
      const { json } = await get(`${receiver.url}/api/disputes/${disputeId}`, adminHeaders());
      return json.packet ? json : undefined;
    }, 15_000, 'the packet');
    expect(dispute).toMatchObject({ orderId: 'order-10511', evidence: { completeness: 1, missing: [] }, packet: { completeness: 1, missing: [] } });

    const { status, json: packet } = await get(`${receiver.url}/api/disputes/${disputeId}/packet`, adminHeaders());
    expect(status).toBe(200);
    expect(packet).toMatchObject({ reason: 'product_not_received', completeness: 1, missing: [], items: expect.arrayContaining([{ kind: 'tracking_number', source: 'shipment shp-10511-1', summary: 'Tracking number 1Z999AA10123456784 (UPS)' }]) });
    expect(packet.providerPayload).toMatchObject({ fileField: 'shipping_documentation', evidence: { shipping_tracking_number: '1Z999AA10123456784', shipping_carrier: 'UPS' } });
    expect(JSON.stringify(packet)).not.toMatch(/4242 ?4242 ?4242 ?4242/);

    const pdf = await fetch(`${receiver.url}/api/disputes/${disputeId}/packet.pdf`, { headers: adminHeaders() });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
    const text = pdfText(bytes);
    expect(text).toContain('1Z999AA10123456784');
    expect(text).toContain('Got the lamp today, thanks! Looks great.');
    expect(text).toContain('Please never send card numbers in chat.');
    expect(text).toContain('•••• 4242');
    expect(text).not.toMatch(/4242 ?4242 ?4242 ?4242/);
  });

  it('a shipment recorded after the dispute opened updates the packet and its completeness', async () => {
    const order = JSON.parse(fixtureText('merchant/records.ndjson').split('\n')[0]!).data;
    const { orderId: _o, ...body } = { ...order, paymentIds: ['ch_late_shipment_1'], customer: { ...order.customer, email: 'late@example.com' } };
    expect((await put(`${receiver.url}/api/orders/order-late`, body)).status).toBe(200);
    const created = fixtureJson<any>('stripe/charge.dispute.created.json');
    created.id = 'evt_late_shipment_1';
    created.data.object.id = 'du_late_shipment_1';
    created.data.object.charge = 'ch_late_shipment_1';
    const delivered = await deliver(receiver.url, receiver.runtime.config, 'stripe', JSON.stringify(created));
    await settled(receiver.runtime.db, delivered.eventId);
    const disputeId = (await receiver.runtime.db.selectFrom('disputes').select('id').where('provider_dispute_id', '=', 'du_late_shipment_1').executeTakeFirstOrThrow()).id;
    const before = await waitFor(async () => (await get(`${receiver.url}/api/disputes/${disputeId}`, adminHeaders())).json.packet ?? undefined, 15_000, 'the first packet');
    expect(before.missing).toEqual(expect.arrayContaining(['tracking_number', 'delivery_confirmation']));

    const shipment = JSON.parse(fixtureText('merchant/records.ndjson').split('\n')[1]!).data;
    const { orderId: _x, shipmentId: _y, ...shipmentBody } = shipment;
    expect((await put(`${receiver.url}/api/orders/order-late/shipments/shp-late-1`, shipmentBody)).json).toMatchObject({ changed: true });
    const after = await waitFor(async () => {
      const { json } = await get(`${receiver.url}/api/disputes/${disputeId}`, adminHeaders());
      return json.packet && json.packet.hash !== before.hash ? json : undefined;
    }, 15_000, 'the packet to be gathered again');
    expect(after.packet.completeness).toBeGreaterThan(before.completeness);
    expect(after.packet.missing).not.toContain('tracking_number');
    expect(after.evidence.completeness).toBe(after.packet.completeness);
    const jobs = await receiver.runtime.queues.submissions.getJobs(['waiting', 'active', 'completed']);
    expect(jobs.map((j) => [j.name, j.data.disputeId])).toContainEqual(['dispute.packet_updated', disputeId]);
  });
});
