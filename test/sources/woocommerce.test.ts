import { createLogger } from '../../src/log';
import { SourceAuthFailed, SourcePayloadInvalid, SourceUnavailable } from '../../src/sources/errors';
import { WooStore } from '../../src/sources/woocommerce/client';
import { woocommerce } from '../../src/sources/woocommerce/module';
import { FakeWooCommerce, WOO_KEY, WOO_ORDERS, WOO_SECRET } from '../fakes/woocommerce';

const log = createLogger('silent');

describe('WooCommerce store (REST v3) against a local fake', () => {
  const fake = new FakeWooCommerce();
  const waits: number[] = [];
  const store = (secret = WOO_SECRET, maxOrders?: number) =>
    new WooStore({ url: fake.url, consumerKey: WOO_KEY, consumerSecret: secret }, { log, now: () => new Date('2026-11-20T00:00:00Z'), sleep: async (ms) => void waits.push(ms), maxOrders });

  beforeAll(() => fake.start());
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    waits.length = 0;
  });

  it('reads /wp-json/wc/v3/orders with Basic consumer key:secret, per_page 100, the payment window in GMT', async () => {
    await store().orderByPaymentId(['ch_3WooNw2eZvKYlo2C1aB0c0727'], { paidAt: '2026-10-11T08:14:05Z' });
    const [request] = fake.requests;
    expect(request!.path).toBe(WOO_ORDERS);
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${WOO_KEY}:${WOO_SECRET}`).toString('base64')}`);
    expect(Object.fromEntries(request!.query)).toMatchObject({ per_page: '100', page: '1', dates_are_gmt: 'true', after: '2026-10-04T08:14:05.000Z', before: '2026-10-18T08:14:05.000Z' });
  });

  it.each([
    ['a Stripe charge (transaction_id)', 'ch_3WooNw2eZvKYlo2C1aB0c0727', '727'],
    ['a Stripe PaymentIntent (_stripe_intent_id)', 'pi_3WooNw2eZvKYlo2C1pI000727', '727'],
    ['a PayPal capture (transaction_id)', '3C679366HH908993F', '728'],
    ['a Square payment (transaction_id)', 'zKqE8dJ3x9Rb2T7yWnM4vPq1LsA', '729'],
  ])('finds the order of %s', async (_what, paymentId, orderId) => {
    const found = await store().orderByPaymentId([paymentId], { openedAt: '2026-11-05T00:00:00Z' });
    expect(found).toMatchObject({ orderId, source: 'woocommerce', match: 'payment_id' });
    expect(found!.order.paymentIds).toContain(paymentId);
  });

  it('tracking comes from the Shipment Tracking meta, or else from an order note', async () => {
    const fromMeta = await store().orderByPaymentId(['ch_3WooNw2eZvKYlo2C1aB0c0727'], { openedAt: '2026-11-05T00:00:00Z' });
    expect(fromMeta!.shipments).toEqual([{ shipmentId: '1Z84W7E90399887766', shipment: { carrier: 'UPS', trackingNumber: '1Z84W7E90399887766', shippedAt: '2026-10-12T08:00:00.000Z', status: 'in_transit' } }]);
    expect(fake.calls('GET', `${WOO_ORDERS}/:id/notes`)).toHaveLength(0);
    const fromNote = await store().orderByPaymentId(['3C679366HH908993F'], { openedAt: '2026-11-05T00:00:00Z' });
    expect(fromNote!.shipments).toEqual([{ shipmentId: 'JD014600006289990001', shipment: { carrier: 'DHL Express', trackingNumber: 'JD014600006289990001', shippedAt: '2026-10-13T09:02:00.000Z', status: 'in_transit' } }]);
  });

  it('follows X-WP-TotalPages', async () => {
    const filler = Array.from({ length: 150 }, (_, i) => ({ ...structuredClone(fake.orders[3]), id: 2000 + i, number: String(2000 + i), date_created_gmt: '2026-10-30T10:00:00', transaction_id: `other_${i}` }));
    fake.orders.push(...filler);
    try {
      const found = await store().orderByPaymentId(['ch_3WooNw2eZvKYlo2C1aB0c0727'], { openedAt: '2026-11-05T00:00:00Z' });
      expect(found?.orderId).toBe('727');
      expect(fake.calls('GET', WOO_ORDERS).map((r) => r.query.get('page'))).toEqual(['1', '2']);
    } finally {
      fake.orders.splice(4);
    }
  });

  it('email + amount within 7 days is a weaker match; the amount must be exact', async () => {
    const found = await store().orderByEmailAndAmount({ email: 'olivia.smith@example.co.uk', amount: { value: 12000, currency: 'USD' }, paidAt: '2026-10-14T16:45:09Z' });
    expect(found).toMatchObject({ orderId: '730', match: 'email_amount' });
    expect(found!.order.paymentIds).toEqual(['woocommerce:730']);
    expect(fake.calls('GET', WOO_ORDERS)[0]!.query.get('search')).toBe('olivia.smith@example.co.uk');
    expect(await store().orderByEmailAndAmount({ email: 'olivia.smith@example.co.uk', amount: { value: 12001, currency: 'USD' }, paidAt: '2026-10-14T16:45:09Z' })).toBeNull();
  });

  it('429 then 200: waits Retry-After seconds and goes on', async () => {
    fake.script('GET', WOO_ORDERS, { status: 429, json: { code: 'rest_too_many_requests', message: 'Too many requests' }, headers: { 'retry-after': '3' } });
    expect((await store().orderByPaymentId(['3C679366HH908993F'], { openedAt: '2026-11-05T00:00:00Z' }))?.orderId).toBe('728');
    expect(waits).toEqual([3000]);
  });

  it('wrong keys are SourceAuthFailed; 5xx is retryable; a malformed order list writes nothing and says why', async () => {
    await expect(store('cs_wrong').orderByPaymentId(['x'])).rejects.toBeInstanceOf(SourceAuthFailed);
    fake.script('GET', WOO_ORDERS, { status: 503, json: { code: 'maintenance', message: 'Briefly unavailable for scheduled maintenance.' } });
    await expect(store().orderByPaymentId(['x'])).rejects.toBeInstanceOf(SourceUnavailable);
    fake.script('GET', WOO_ORDERS, { status: 200, json: [{ id: 'not-a-number' }] });
    await expect(store().orderByPaymentId(['x'])).rejects.toBeInstanceOf(SourcePayloadInvalid);
  });

  it('settings: all three or none; a half-set store names what is missing', () => {
    expect(woocommerce.settings({})).toBeUndefined();
    expect(woocommerce.settings({ WOOCOMMERCE_URL: 'https://shop.example.com/', WOOCOMMERCE_KEY: 'ck', WOOCOMMERCE_SECRET: 'cs' })).toEqual({ url: 'https://shop.example.com', consumerKey: 'ck', consumerSecret: 'cs' });
    expect(() => woocommerce.settings({ WOOCOMMERCE_URL: 'https://shop.example.com' })).toThrow(/WOOCOMMERCE_KEY|required/);
  });
});
