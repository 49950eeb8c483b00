import { ConfigError } from '../../src/env';
import { createLogger } from '../../src/log';
import { ShopifyStore, createShopifyApi, refillMs } from '../../src/sources/shopify/client';
import { shopify } from '../../src/sources/shopify/module';
import { SourceAuthFailed, SourceUnavailable } from '../../src/sources/errors';
import { FakeShopify, SHOPIFY_429, SHOPIFY_GRAPHQL, SHOPIFY_THROTTLED, SHOPIFY_TOKEN } from '../fakes/shopify';

const log = createLogger('silent');

describe('Shopify store through @shopify/admin-api-client against a local Admin GraphQL fake', () => {
  const fake = new FakeShopify();
  const waits: number[] = [];
  const store = (token = SHOPIFY_TOKEN, extra: { maxOrders?: number } = {}) =>
    new ShopifyStore(createShopifyApi({ shop: 'northwind-home', accessToken: token, apiVersion: '2026-10', apiBase: fake.url }), {
      log,
      now: () => new Date('2026-11-20T00:00:00Z'),
      sleep: async (ms) => void waits.push(ms),
      ...extra,
    });

  beforeAll(() => fake.start());
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    waits.length = 0;
  });

  it('sends the documented request: POST /admin/api/{version}/graphql.json with X-Shopify-Access-Token', async () => {
    await store().orderByPaymentId(['ch_3SfyNw2eZvKYlo2C1aB0c1001'], { paidAt: '2026-10-02T15:20:09Z' });
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/admin/api/2026-10/graphql.json' });
    expect(request!.headers['x-shopify-access-token']).toBe(SHOPIFY_TOKEN);
    expect(request!.json.variables.query).toBe("created_at:>='2026-09-25T15:20:09.000Z' created_at:<='2026-10-09T15:20:09.000Z'");
  });

  it.each([
    ['a Stripe charge (authorizationCode)', 'ch_3SfyNw2eZvKYlo2C1aB0c1001', '1001'],
    ['a Stripe PaymentIntent (in the receipt)', 'pi_3SfyNw2eZvKYlo2C1pI001001', '1001'],
    ['a PayPal capture', '8MC585209K746392H', '1002'],
    ['a Square payment (order created by the merchant\'s POS sync)', 'Bdq4B6Rq1JFbx7JT8vN2mSmcWYbZY', '1003'],
  ])('finds the order of %s among the transactions', async (_what, paymentId, orderId) => {
    const found = await store().orderByPaymentId([paymentId], { openedAt: '2026-11-05T00:00:00Z' });
    expect(found).toMatchObject({ orderId, source: 'shopify', match: 'payment_id' });
    expect(found!.order.paymentIds).toContain(paymentId);
  });

  it('an unknown payment id finds nothing', async () => {
    expect(await store().orderByPaymentId(['ch_unknown000000'], { openedAt: '2026-11-05T00:00:00Z' })).toBeNull();
  });

  it('follows the cursor across pages until the order turns up', async () => {
    fake.orders.push(...Array.from({ length: 25 }, (_, i) => ({ ...structuredClone(fake.orders[3]), id: `gid://shopify/Order/90${i}`, name: `#2${i}`, createdAt: `2026-10-2${i % 9}T10:00:00Z`, transactions: [] })));
    try {
      const found = await store().orderByPaymentId(['ch_3SfyNw2eZvKYlo2C1aB0c1001'], { openedAt: '2026-11-05T00:00:00Z' });
      expect(found?.orderId).toBe('1001');
      const cursors = fake.requests.map((r) => r.json.variables.after ?? null);
      expect(cursors.length).toBeGreaterThanOrEqual(3);
      expect(cursors[0]).toBeNull();
      expect(new Set(cursors).size).toBe(cursors.length);
    } finally {
      fake.orders.splice(4);
    }
  });

  it('email + amount within 7 days finds the order as a weaker match', async () => {
    const found = await store().orderByEmailAndAmount({ email: 'Mia.Garcia@example.com', amount: { value: 12000, currency: 'USD' }, paidAt: '2026-10-08T12:00:05Z' });
    expect(found).toMatchObject({ orderId: '1004', match: 'email_amount' });
    expect(fake.requests[0]!.json.variables.query).toContain('email:"mia.garcia@example.com"');
  });

  it('email + amount: another amount, or a payment 8 days away, matches nothing', async () => {
    expect(await store().orderByEmailAndAmount({ email: 'mia.garcia@example.com', amount: { value: 11999, currency: 'USD' }, paidAt: '2026-10-08T12:00:00Z' })).toBeNull();
    expect(await store().orderByEmailAndAmount({ email: 'mia.garcia@example.com', amount: { value: 12000, currency: 'USD' }, paidAt: '2026-10-16T12:00:01Z' })).toBeNull();
  });

  it('a 429 is waited out for Retry-After seconds (not milliseconds), then the answer is used', async () => {
    fake.script('POST', SHOPIFY_GRAPHQL, SHOPIFY_429('2'));
    const found = await store().orderByPaymentId(['8MC585209K746392H'], { paidAt: '2026-10-04T09:41:52Z' });
    expect(found?.orderId).toBe('1002');
    expect(waits).toEqual([2000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('THROTTLED (HTTP 200) waits until the bucket refills for the requested cost, then retries', async () => {
    fake.script('POST', SHOPIFY_GRAPHQL, SHOPIFY_THROTTLED(472));
    const found = await store().orderByPaymentId(['8MC585209K746392H'], { paidAt: '2026-10-04T09:41:52Z' });
    expect(found?.orderId).toBe('1002');
    expect(waits).toEqual([2000]); // (672 requested − 472 available) / 100 points per second
  });

  it('throttled past patience: the pull fails as retryable, for the job to back off', async () => {
    fake.script('POST', SHOPIFY_GRAPHQL, ...Array.from({ length: 6 }, () => SHOPIFY_THROTTLED()));
    await expect(store().orderByPaymentId(['8MC585209K746392H'])).rejects.toBeInstanceOf(SourceUnavailable);
  });

  it('a wrong token is SourceAuthFailed (permanent), and the token never appears in the error', async () => {
    const error = await store('shpat_wrong_token_value_000000000000').orderByPaymentId(['8MC585209K746392H']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceAuthFailed);
    expect((error as Error).message).toMatch(/401/);
    expect((error as Error).message).not.toContain('shpat_');
  });

  it('a 5xx is retryable', async () => {
    fake.script('POST', SHOPIFY_GRAPHQL, { status: 502, json: { errors: 'Bad gateway' } });
    await expect(store().orderByPaymentId(['8MC585209K746392H'])).rejects.toBeInstanceOf(SourceUnavailable);
  });

  it('refillMs: 1 s when the cost is unknown', () => {
    expect(refillMs(undefined)).toBe(1000);
    expect(refillMs({ requestedQueryCost: 100, throttleStatus: { currentlyAvailable: 500, restoreRate: 50 } })).toBe(1000);
    expect(refillMs({ requestedQueryCost: 1000, throttleStatus: { currentlyAvailable: 0, restoreRate: 50 } })).toBe(20000);
  });
});

describe('Shopify settings', () => {
  it.each([
    [{}, undefined],
    [{ SHOPIFY_SHOP: 'northwind-home', SHOPIFY_ACCESS_TOKEN: 'shpat_x' }, { shop: 'northwind-home', accessToken: 'shpat_x', apiVersion: '2026-10' }],
    [{ SHOPIFY_SHOP: 'https://northwind-home.myshopify.com/', SHOPIFY_ACCESS_TOKEN: 'shpat_x', SHOPIFY_API_VERSION: '2026-07', SHOPIFY_API_BASE: 'http://127.0.0.1:9/' }, { shop: 'northwind-home.myshopify.com', apiVersion: '2026-07', apiBase: 'http://127.0.0.1:9' }],
  ])('%j → %j', (env, expected) => {
    const settings = shopify.settings(env);
    if (expected === undefined) expect(settings).toBeUndefined();
    else expect(settings).toMatchObject(expected);
  });

  it.each([
    [{ SHOPIFY_SHOP: 'northwind-home' }, 'SHOPIFY_ACCESS_TOKEN'],
    [{ SHOPIFY_SHOP: 'a b', SHOPIFY_ACCESS_TOKEN: 'x' }, 'SHOPIFY_SHOP'],
    [{ SHOPIFY_SHOP: 'shop', SHOPIFY_ACCESS_TOKEN: 'x', SHOPIFY_API_VERSION: '2026-05' }, 'SHOPIFY_API_VERSION'],
  ])('%j is refused naming %s', (env, variable) => {
    expect(() => shopify.settings(env)).toThrow(ConfigError);
    try {
      shopify.settings(env);
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
    }
  });
});
