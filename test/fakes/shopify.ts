import { fixtureJson } from '../support/fixtures';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const SHOPIFY_TOKEN = 'shpat_0123456789abcdef0123456789abcdef';
export const SHOPIFY_GRAPHQL = '/admin/api/:version/graphql.json';

const bucket = (currentlyAvailable: number, actualQueryCost: number | null) => ({
  cost: { requestedQueryCost: 672, actualQueryCost, throttleStatus: { maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 } },
});

/** A 200 whose only content is the THROTTLED error, as Shopify answers when the cost bucket is empty. */
export const SHOPIFY_THROTTLED = (currentlyAvailable = 472): FakeAnswer => ({
  status: 200,
  json: {
    errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
    extensions: bucket(currentlyAvailable, null),
  },
});

export const SHOPIFY_429 = (retryAfterSeconds: string): FakeAnswer => ({
  status: 429,
  json: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
  headers: { 'retry-after': retryAfterSeconds },
});

/** The orders search of ORDERS_QUERY as Shopify's search syntax filters it: email and created_at bounds. */
function filterOrders(orders: any[], query: string | undefined): any[] {
  const email = /email:"?([^"\s]+)"?/.exec(query ?? '')?.[1]?.toLowerCase();
  const from = /created_at:>='([^']+)'/.exec(query ?? '')?.[1];
  const to = /created_at:<='([^']+)'/.exec(query ?? '')?.[1];
  return orders
    .filter((o) => !email || o.email?.toLowerCase() === email)
    .filter((o) => !from || Date.parse(o.createdAt) >= Date.parse(from))
    .filter((o) => !to || Date.parse(o.createdAt) <= Date.parse(to))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/**
 * Shopify's Admin GraphQL endpoint for the orders query: X-Shopify-Access-Token checked (401 as Shopify
 * words it), cursor pagination, `extensions.cost` on every answer; scriptable 429 and THROTTLED.
 */
export class FakeShopify extends RecordingServer {
  readonly orders: any[] = structuredClone(fixtureJson<{ orders: any[] }>('shopify/orders.json').orders);

  constructor(readonly token = SHOPIFY_TOKEN) {
    super([['POST', SHOPIFY_GRAPHQL, (r) => this.graphql(r)]]);
  }

  private graphql(r: RecordedRequest): FakeAnswer {
    if (r.headers['x-shopify-access-token'] !== this.token) {
      return { status: 401, json: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };
    }
    if (!/query RebuttalOrders/.test(r.json?.query ?? '')) return { status: 200, json: { errors: [{ message: 'unknown operation in the fake' }] } };
    const { first = 10, after, query } = r.json.variables ?? {};
    const matching = filterOrders(this.orders, query);
    const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0;
    const nodes = matching.slice(start, start + first);
    const end = start + nodes.length;
    return {
      status: 200,
      json: {
        data: { orders: { pageInfo: { hasNextPage: end < matching.length, endCursor: nodes.length ? Buffer.from(String(end)).toString('base64') : null }, nodes } },
        extensions: bucket(1900, 12 + nodes.length * 20),
      },
    };
  }
}
