import { sql } from 'kysely';
import { startWorkers } from '../../workers';
import { disputePage } from '../../src/http/dashboard/dispute-page';
import { latestPacket } from '../../src/evidence/packets';
import { findDispute } from '../../src/disputes/repository';
import { publishDisputeChange } from '../../src/queue/dispute-changes';
import { FakeAfterShip, AFTERSHIP_KEY } from '../fakes/aftership';
import { FakePaypal } from '../fakes/paypal';
import { FakeShopify, SHOPIFY_429, SHOPIFY_GRAPHQL, SHOPIFY_TOKEN } from '../fakes/shopify';
import { FakeSquare } from '../fakes/square';
import { FakeStripe } from '../fakes/stripe';
import { RecordingServer } from '../fakes/recording-server';
import { FakeWooCommerce, WOO_KEY, WOO_ORDERS, WOO_SECRET } from '../fakes/woocommerce';
import { insertDispute } from '../support/disputes';
import { fixtureJson } from '../support/fixtures';
import { get, post } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';
import { drained } from './support';

const parcel = (stage: 'in_transit' | 'delivered' | 'delivered_elsewhere') => fixtureJson<any>('aftership/parcel-ups-1Z84W7E90312345671.json')[stage];

describe('orders from Shopify and WooCommerce, delivery from AfterShip (real workers, PostgreSQL, Redis; local vendor fakes)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const shopify = new FakeShopify();
  const woo = new FakeWooCommerce();
  const aftership = new FakeAfterShip();
  const stripe = new FakeStripe();
  const square = new FakeSquare();
  const paypal = new FakePaypal();
  /** Staff alerts (the generic JSON webhook channel). */
  const alertHook = new RecordingServer([['POST', '/alerts', () => ({ status: 200, json: { ok: true } })]]);
  const queues = () => [receiver.runtime.queues.evidence, receiver.runtime.queues.sources];

  /** A dispute as the event pipeline writes it, then its `opened` change, as the pipeline publishes it. */
  async function open(provider: 'stripe' | 'paypal' | 'square', paymentId: string, amount: number): Promise<string> {
    const id = await insertDispute(receiver.runtime.db, { provider, provider_payment_id: paymentId, amount_value: amount, opened_at: new Date('2026-11-05T10:00:00Z') });
    await publishDisputeChange(receiver.runtime.queues, { disputeId: id, change: 'opened', at: new Date().toISOString() });
    return id;
  }
  const api = async (id: string) => (await get(`${receiver.url}/api/disputes/${id}`, adminHeaders())).json;
  const settledDispute = async (id: string, ready: (d: any) => boolean = (d) => !!d.packet) => {
    await drained(queues(), 60_000);
    let last: any;
    return waitFor(async () => {
      last = await api(id);
      return ready(last) ? last : undefined;
    }, 30_000, `dispute ${id} to settle`).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify({ order: last?.order, shipments: last?.shipments, packet: last?.packet, sources: last?.sources })}`);
    });
  };
  const tableCounts = async () => {
    const { rows } = await sql<{ orders: string; shipments: string; payments: string; packets: string; data: string }>`
      select (select count(*) from orders) as orders, (select count(*) from shipments) as shipments,
        (select count(*) from order_payments) as payments, (select count(*) from packets) as packets,
        (select md5(string_agg(o.data::text || o.origins::text, '|' order by o.order_id)) from orders o) || (select md5(string_agg(s.data::text || coalesce(s.tracking::text, ''), '|' order by s.shipment_id)) from shipments s) as data`.execute(receiver.runtime.db);
    const orders = await receiver.runtime.db.selectFrom('orders').select(['order_id', 'data', 'source', 'match', 'origins']).orderBy('order_id').execute();
    const shipments = await receiver.runtime.db.selectFrom('shipments').select(['shipment_id', 'data', 'source', 'origins', 'tracking']).orderBy('shipment_id').execute();
    return { ...rows[0]!, orders: orders, shipments: shipments, counts: [rows[0]!.orders, rows[0]!.shipments] };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const fake of [shopify, woo, aftership, stripe, square, paypal, alertHook]) await fake.start();
    // The disputed payments as each provider reports them (who paid, and when).
    const charge = (id: string, email: string, created: string, intent?: string) => stripe.charges.set(id, { id, object: 'charge', created: Date.parse(created) / 1000, payment_intent: intent ?? null, receipt_email: null, billing_details: { email } });
    charge('ch_3SfyNw2eZvKYlo2C1aB0c1001', 'ava.chen@example.com', '2026-10-02T15:20:09Z', 'pi_3SfyNw2eZvKYlo2C1pI001001');
    charge('ch_3WooNw2eZvKYlo2C1aB0c0727', 'emma.brown@example.co.uk', '2026-10-11T08:14:05Z', 'pi_3WooNw2eZvKYlo2C1pI000727');
    charge('ch_3PayLinkMiaGarcia0001004', 'mia.garcia@example.com', '2026-10-08T12:00:03Z');
    square.payments.set('sqPaymentOlivia730xxxxxxxx', { id: 'sqPaymentOlivia730xxxxxxxx', created_at: '2026-10-14T16:45:20Z', buyer_email_address: 'olivia.smith@example.co.uk', amount_money: { amount: 12000, currency: 'USD' }, status: 'COMPLETED' });
    // The same customer also has a Shopify order of the same amount that day: found by email + amount, it loses to WooCommerce's payment id.
    shopify.orders.push({ ...structuredClone(shopify.orders[0]), id: 'gid://shopify/Order/5720418517160', name: '#1005', email: 'emma.brown@example.co.uk', createdAt: '2026-10-11T08:20:00Z', processedAt: '2026-10-11T08:20:00Z', totalPriceSet: { shopMoney: { amount: '64.00', currencyCode: 'USD' } }, fulfillments: [], transactions: [] });
    aftership.parcels.set('1Z84W7E90312345671', parcel('in_transit'));
    aftership.parcels.set('1Z84W7E90399887766', parcel('delivered_elsewhere'));

    receiver = await startTestReceiver(
      testConfig(database.url, {
        SHOPIFY_SHOP: 'northwind-home',
        SHOPIFY_ACCESS_TOKEN: SHOPIFY_TOKEN,
        SHOPIFY_API_BASE: shopify.url,
        WOOCOMMERCE_URL: woo.url,
        WOOCOMMERCE_KEY: WOO_KEY,
        WOOCOMMERCE_SECRET: WOO_SECRET,
        TRACKING_PROVIDER: 'aftership',
        AFTERSHIP_API_KEY: AFTERSHIP_KEY,
        AFTERSHIP_API_BASE: aftership.url,
        STRIPE_SECRET_KEY: 'sk_test_stores_0123456789',
        STRIPE_API_BASE: stripe.url,
        SQUARE_ACCESS_TOKEN: 'EAAAl_stores_test_token',
        SQUARE_API_BASE: square.url,
        PAYPAL_CLIENT_ID: 'paypal-client',
        PAYPAL_CLIENT_SECRET: 'paypal-secret',
        PAYPAL_API_BASE: paypal.url,
        ALERT_WEBHOOK_URL: `${alertHook.url}/alerts`,
        ALERT_WEBHOOK_SECRET: 'alert-webhook-secret-0123456789',
      }),
      { jobOptions: { sources: { attempts: 3, backoff: { type: 'fixed', delay: 100 } } } },
    );
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    for (const fake of [shopify, woo, aftership, stripe, square, paypal, alertHook]) await fake.close();
    await database.drop();
  });

  it('Shopify answers 429 then 200: the Stripe dispute finds order #1001 by its charge, recorded once, before the first packet, with its parcel registered', async () => {
    shopify.script('POST', SHOPIFY_GRAPHQL, SHOPIFY_429('1'));
    const id = await open('stripe', 'ch_3SfyNw2eZvKYlo2C1aB0c1001', 8900);
    const d = await settledDispute(id, (x) => x.shipments[0]?.events.length === 2);
    expect(d.order).toMatchObject({ orderId: '1001', source: 'shopify', match: 'payment_id', customer: { email: 'ava.chen@example.com' } });
    expect(d.orderId).toBe('1001');
    expect(d.shipments).toEqual([
      expect.objectContaining({ shipmentId: '1Z84W7E90312345671', carrier: 'UPS', status: 'in_transit', deliveredAt: null, signedBy: null, source: 'aftership', tracking: { provider: 'aftership', state: 'found' } }),
    ]);
    expect(shopify.requests.filter((r) => r.method === 'POST')[0]).toBeDefined();
    const { rows } = await sql<{ n: string }>`select count(*) as n from orders where order_id = '1001'`.execute(receiver.runtime.db);
    expect(Number(rows[0]!.n)).toBe(1);
    // The first packet already had the order: the dispute's very first packet row holds it.
    const { rows: first } = await sql<{ order_id: string | null }>`select packet->>'orderId' as order_id from packets where dispute_id = ${id} order by created_at asc limit 1`.execute(receiver.runtime.db);
    expect(first[0]!.order_id).toBe('1001');
    expect(d.sources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'shopify', status: 'ok' }), expect.objectContaining({ name: 'aftership', status: 'ok' })]));
    // The first alert staff get already tells the completeness the pulled order and parcel give.
    const opened = await waitFor(async () => alertHook.requests.map((r) => r.json).find((j) => j.type === 'dispute.alert.opened' && j.disputeId === id), 30_000, 'the opened alert');
    expect(opened.dispute.completeness).toBeGreaterThan(0);
    // It waited for a packet: it tells that packet's completeness, at least the first one's (a
    // later pull may have added the parcel's scans before the alert went out, or not).
    const { rows: packets } = await sql<{ completeness: number }>`select (packet->>'completeness')::float as completeness from packets where dispute_id = ${id} order by created_at asc`.execute(receiver.runtime.db);
    expect(packets.map((p) => p.completeness)).toContain(opened.dispute.completeness);
    expect(opened.dispute.completeness).toBeGreaterThanOrEqual(packets[0]!.completeness);
  });

  it.each([
    ['Shopify', 'paypal', '8MC585209K746392H', 5450, '1002', 'shopify'],
    ['Shopify', 'square', 'Bdq4B6Rq1JFbx7JT8vN2mSmcWYbZY', 6350, '1003', 'shopify'],
    ['WooCommerce', 'paypal', '3C679366HH908993F', 4599, '728', 'woocommerce'],
    ['WooCommerce', 'square', 'zKqE8dJ3x9Rb2T7yWnM4vPq1LsA', 6350, '729', 'woocommerce'],
  ])('%s: a %s dispute finds its order by payment id', async (_store, provider, paymentId, amount, orderId, source) => {
    const id = await open(provider as 'paypal' | 'square', paymentId, amount);
    const d = await settledDispute(id, (x) => x.order?.orderId === orderId);
    expect(d.order).toMatchObject({ orderId, source, match: 'payment_id' });
    expect(d.packet.warnings).toEqual([]);
  });

  it('WooCommerce: the Stripe dispute finds order 727 by its charge; Shopify\'s email + amount candidate loses and is listed; the delivery elsewhere is flagged', async () => {
    const id = await open('stripe', 'ch_3WooNw2eZvKYlo2C1aB0c0727', 6400);
    const d = await settledDispute(id, (x) => x.order?.orderId === '727' && x.shipments[0]?.status === 'delivered' && x.order.origins.length >= 2);
    expect(d.order).toMatchObject({ orderId: '727', source: 'woocommerce', match: 'payment_id' });
    expect(d.order.origins).toEqual(expect.arrayContaining([{ source: 'woocommerce', match: 'payment_id' }, { source: 'shopify', match: 'email_amount', orderId: '1005' }]));
    expect(d.orderId).toBe('727');

    expect(d.packet.deliveryAddress).toMatchObject({ result: 'mismatch', shipmentId: '1Z84W7E90399887766' });
    expect(d.packet.warnings.join(' ')).toMatch(/Delivery address mismatch: the carrier delivered shipment 1Z84W7E90399887766 to Daly City, CA, 94014, US, but the order was to ship to 221B Baker Street, London, NW1 6XE, GB/);
    const { json: packet } = await get(`${receiver.url}/api/disputes/${id}/packet`, adminHeaders());
    expect(packet.missing).toContain('delivery_address_match');
    const stored = (await latestPacket(receiver.runtime.db, id))!;
    const page = disputePage({ dispute: (await findDispute(receiver.runtime.db, id))!, packet: stored, timeline: [], submissions: [], alerts: [] }, new Date()).toString();
    expect(page).toContain('data-address-check="mismatch"');
    expect(page).toContain('Delivery address mismatch');
    const pdf = pdfText((await fetchPdf(id)));
    expect(pdf).toContain('Delivery address check: MISMATCH');
  });

  it.each([
    ['Shopify', 'stripe', 'ch_3PayLinkMiaGarcia0001004', 12000, '1004', 'shopify'],
    ['WooCommerce', 'square', 'sqPaymentOlivia730xxxxxxxx', 12000, '730', 'woocommerce'],
  ])('%s: a %s payment the store does not list is found by email + amount, marked weak', async (_store, provider, paymentId, amount, orderId, source) => {
    const id = await open(provider as 'stripe' | 'square', paymentId, amount);
    const d = await settledDispute(id, (x) => x.order?.orderId === orderId && x.packet);
    expect(d.order).toMatchObject({ orderId, source, match: 'email_amount' });
    expect(d.packet.warnings.join(' ')).toContain(`Weak order match: order ${orderId} was found in ${source} by the customer's email and amount`);
    const page = disputePage({ dispute: (await findDispute(receiver.runtime.db, id))!, packet: (await latestPacket(receiver.runtime.db, id))!, timeline: [], submissions: [], alerts: [] }, new Date()).toString();
    expect(page).toContain('data-match="email_amount"');
    expect(page).toContain('weak match: email + amount');
  });

  it('the undelivered parcel is refreshed until the carrier says delivered: completeness rises, proof of delivery cites the checkpoint, the PDF has the scans', async () => {
    const { rows } = await sql<{ id: string }>`select id from disputes where provider_payment_id = 'ch_3SfyNw2eZvKYlo2C1aB0c1001'`.execute(receiver.runtime.db);
    const id = rows[0]!.id;
    const before = await api(id);
    expect(before.shipments[0].status).toBe('in_transit');

    // A refresh while still in transit changes nothing.
    expect((await post(`${receiver.url}/api/sources/aftership/sync`, '', adminHeaders())).status).toBe(202);
    await drained(queues(), 60_000);
    expect((await api(id)).packet.hash).toBe(before.packet.hash);

    aftership.parcels.set('1Z84W7E90312345671', parcel('delivered'));
    expect((await post(`${receiver.url}/api/sources/aftership/sync`, '', adminHeaders())).status).toBe(202);
    const after = await settledDispute(id, (x) => x.shipments[0]?.status === 'delivered' && x.packet.hash !== before.packet.hash);
    expect(after.shipments[0]).toMatchObject({ deliveredAt: '2026-10-06T21:12:00.000Z', signedBy: 'A CHEN', source: 'aftership', events: expect.arrayContaining([{ at: '2026-10-06T21:12:00.000Z', status: 'DELIVERED - Front Door', location: 'San Francisco, CA 94110, US' }]) });
    expect(after.packet.completeness).toBeGreaterThan(before.packet.completeness);
    expect(after.packet.deliveryAddress).toMatchObject({ result: 'match' });
    const { json: packet } = await get(`${receiver.url}/api/disputes/${id}/packet`, adminHeaders());
    const proof = packet.items.find((i: any) => i.kind === 'proof_of_delivery');
    expect(proof).toMatchObject({ source: 'shipment 1Z84W7E90312345671 (aftership)' });
    expect(proof.summary).toContain('"DELIVERED - Front Door"');
    expect(proof.summary).toContain('signed for by A CHEN');
    const pdf = pdfText(await fetchPdf(id));
    expect(pdf).toContain('Carrier scan history');
    expect(pdf).toContain('Out For Delivery Today');
    expect(pdf).toContain('Delivery address check: MATCH');
    // Delivered and scanned: no longer asked about.
    const calls = aftership.requests.length;
    await post(`${receiver.url}/api/sources/aftership/sync`, '', adminHeaders());
    await drained(queues(), 60_000);
    expect(aftership.calls('GET', '/tracking/2026-07/trackings/:id').length + aftership.calls('POST', '/tracking/2026-07/trackings').length).toBeLessThanOrEqual(calls);
  });

  it('a parcel number the tracker does not know is shown as unknown, and not retried in a loop', async () => {
    const { rows } = await sql<{ id: string }>`select id from disputes where provider_payment_id = '8MC585209K746392H'`.execute(receiver.runtime.db);
    const d = await api(rows[0]!.id);
    expect(d.shipments[0]).toMatchObject({ trackingNumber: '9400111899223344556677', source: 'shopify', tracking: { provider: 'aftership', state: 'unknown' } });
    // One question per pull (on open, then each refresh interval or sync), never a retry loop.
    const asked = aftership.requests.filter((r) => r.json?.tracking_number === '9400111899223344556677' || r.query.get('tracking_numbers') === '9400111899223344556677').length;
    const { rows: pulls } = await sql<{ n: string }>`select count(*) as n from source_pulls where source = 'aftership' and dispute_id = ${rows[0]!.id} and records = 0`.execute(receiver.runtime.db);
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(2 * Number(pulls[0]!.n));
    expect(d.sources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'aftership', status: 'ok' })]));
  });

  it('pulling every store and tracker again changes nothing', async () => {
    const before = await tableCounts();
    for (const name of ['shopify', 'woocommerce', 'aftership']) expect((await post(`${receiver.url}/api/sources/${name}/sync`, '', adminHeaders())).status).toBe(202);
    await drained(queues(), 60_000);
    expect(await tableCounts()).toEqual(before);
    const { rows } = await sql<{ changed: string }>`select coalesce(sum(changed), 0) as changed from source_pulls where trigger = 'sync' and at > now() - interval '1 minute' and source in ('shopify', 'woocommerce')`.execute(receiver.runtime.db);
    expect(Number(rows[0]!.changed)).toBe(0);
    expect(woo.calls('GET', WOO_ORDERS).length).toBeGreaterThan(0);
  });

  async function fetchPdf(id: string): Promise<Buffer> {
    const response = await fetch(`${receiver.url}/api/disputes/${id}/packet.pdf`, { headers: adminHeaders() });
    return Buffer.from(await response.arrayBuffer());
  }
});
