import { createAdminApiClient, type AdminApiClient } from '@shopify/admin-api-client';
import type { Logger } from '../../log';
import { parseVendorPayload, SourceAuthFailed, SourceRejected, SourceUnavailable } from '../errors';
import { retryAfterMs } from '../http';
import { around, EMAIL_AMOUNT_WINDOW_MS, searchWindow, within } from '../commerce/window';
import type { PaymentHint, PulledStoreOrder, StoreOrders } from '../commerce/types';
import { decimalToMinor } from '../../money';
import { shopifyOrderRecords, shopifyPaymentIds } from './mapping';
import { ORDERS_QUERY, ordersSearch } from './query';
import { OrdersPage, QueryCost, type ShopifyOrder } from './schema';

export interface ShopifySettings {
  /** "acme" or "acme.myshopify.com" */
  shop: string;
  accessToken: string;
  apiVersion: string;
  /** Replaces https://{shop}.myshopify.com, for local fakes. */
  apiBase?: string;
}

export interface ShopifyDeps {
  log: Logger;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** How many throttles (429 or THROTTLED) one query waits out before the job retries later. */
  maxThrottleWaits?: number;
  /** Orders read per search before giving up (pages of PAGE_SIZE). */
  maxOrders?: number;
  timeoutMs?: number;
}

const PAGE_SIZE = 10;
const SOURCE = 'shopify';
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The official Admin API client, pointed at SHOPIFY_API_BASE when set: the client builds
 * https://{shop}/admin/api/{version}/graphql.json itself (forcing https), so our fetch moves that URL's
 * origin to the base. Its own retries are off: they treat Retry-After as milliseconds and never see
 * THROTTLED (HTTP 200), so `query` does both as documented.
 */
export function createShopifyApi(settings: ShopifySettings): AdminApiClient {
  const storeDomain = settings.shop.includes('.') ? settings.shop : `${settings.shop}.myshopify.com`;
  const base = settings.apiBase?.replace(/\/+$/, '');
  return createAdminApiClient({
    storeDomain,
    apiVersion: settings.apiVersion,
    accessToken: settings.accessToken,
    retries: 0,
    isTesting: false,
    customFetchApi: (url, init) => {
      const target = base ? `${base}${new URL(url).pathname}` : url;
      return fetch(target, init as RequestInit);
    },
  });
}

export class ShopifyStore implements StoreOrders {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;

  constructor(private readonly api: AdminApiClient, private readonly deps: ShopifyDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
    this.now = deps.now ?? (() => new Date());
  }

  /** Shopify has no search filter for a gateway's payment id: read the orders of the payment's window and compare. */
  async orderByPaymentId(paymentIds: string[], hint?: PaymentHint): Promise<PulledStoreOrder | null> {
    const wanted = new Set(paymentIds);
    const window = searchWindow(hint, this.now());
    const found = await this.findOrders(ordersSearch(window), (o) => shopifyPaymentIds(o).some((id) => wanted.has(id)), 'first');
    return found[0] ? shopifyOrderRecords(found[0], 'payment_id') : null;
  }

  /** One order of this email for this amount within 7 days of the payment; two are ambiguous and match nothing. */
  async orderByEmailAndAmount(q: { email: string; amount: { value: number; currency: string }; paidAt: string }): Promise<PulledStoreOrder | null> {
    const window = around(q.paidAt, EMAIL_AMOUNT_WINDOW_MS);
    const email = q.email.trim().toLowerCase();
    const found = await this.findOrders(ordersSearch({ email, ...window }), (o) => {
      const money = o.totalPriceSet.shopMoney;
      return (
        o.email?.trim().toLowerCase() === email &&
        money.currencyCode.toUpperCase() === q.amount.currency &&
        decimalToMinor(money.amount, money.currencyCode) === q.amount.value &&
        within(window, o.processedAt ?? o.createdAt)
      );
    }, 'all');
    if (found.length > 1) {
      this.deps.log.warn({ source: SOURCE, candidates: found.length }, 'several orders match the email and amount: none is taken');
      return null;
    }
    return found[0] ? shopifyOrderRecords(found[0], 'email_amount') : null;
  }

  private async findOrders(search: string, wanted: (o: ShopifyOrder) => boolean, stop: 'first' | 'all'): Promise<ShopifyOrder[]> {
    const found: ShopifyOrder[] = [];
    let after: string | undefined;
    const maxPages = Math.ceil((this.deps.maxOrders ?? 1000) / PAGE_SIZE);
    for (let page = 0; page < maxPages; page++) {
      const { orders } = await this.query({ first: PAGE_SIZE, after, query: search });
      for (const order of orders.nodes) {
        if (!wanted(order)) continue;
        found.push(order);
        if (stop === 'first') return found;
      }
      if (!orders.pageInfo.hasNextPage || !orders.pageInfo.endCursor) return found;
      after = orders.pageInfo.endCursor;
    }
    this.deps.log.warn({ source: SOURCE, search, pages: maxPages }, 'stopped reading orders at the page cap');
    return found;
  }

  /** One page, with the documented throttles waited out: 429 + Retry-After (seconds), and THROTTLED by the bucket's refill. */
  private async query(variables: { first: number; after?: string; query: string }): Promise<OrdersPage> {
    const maxWaits = this.deps.maxThrottleWaits ?? 5;
    for (let waits = 0; ; waits++) {
      const answer = await this.api.request(ORDERS_QUERY, { variables, signal: AbortSignal.timeout(this.deps.timeoutMs ?? 20_000) });
      const status = answer.errors?.networkStatusCode;
      const throttled = answer.errors?.graphQLErrors?.some((e) => e.extensions?.code === 'THROTTLED');
      if (status === 429 || throttled) {
        const wait = status === 429 ? retryAfterMs(answer.errors?.response?.headers.get('retry-after') ?? null) : refillMs(answer.extensions?.cost);
        if (waits >= maxWaits) throw new SourceUnavailable(SOURCE, `orders: throttled ${waits + 1} times`);
        this.deps.log.info({ source: SOURCE, waitMs: wait, reason: throttled ? 'THROTTLED' : '429' }, 'shopify throttled: waiting');
        await this.sleep(wait);
        continue;
      }
      if (answer.errors) throw failure(answer.errors);
      return parseVendorPayload(OrdersPage, answer.data, SOURCE, 'the orders query', 'data');
    }
  }
}

/** How long until the bucket holds what the query asked for, from `extensions.cost` (1 s when unknown). */
export function refillMs(cost: unknown): number {
  const parsed = QueryCost.safeParse(cost ?? {});
  const c = parsed.success ? parsed.data : {};
  const rate = c.throttleStatus?.restoreRate;
  const missing = (c.requestedQueryCost ?? 0) - (c.throttleStatus?.currentlyAvailable ?? 0);
  if (!rate || missing <= 0) return 1_000;
  return Math.ceil((missing / rate) * 1_000);
}

function failure(errors: { networkStatusCode?: number; message?: string; graphQLErrors?: Array<{ message: string; extensions?: { code?: string } }> }): Error {
  const status = errors.networkStatusCode;
  const message = errors.graphQLErrors?.map((e) => e.message).join('; ') || errors.message || 'no message';
  const denied = errors.graphQLErrors?.some((e) => e.extensions?.code === 'ACCESS_DENIED');
  if (status === 401 || status === 403 || denied) return new SourceAuthFailed(SOURCE, status === 200 || !status ? 403 : status, message.slice(0, 300));
  if (status === undefined || status >= 500) return new SourceUnavailable(SOURCE, `orders: ${status ? `answered ${status}` : message}`);
  return new SourceRejected(SOURCE, status, `orders: ${message.slice(0, 300)}`);
}
