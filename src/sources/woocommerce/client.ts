import type { Logger } from '../../log';
import { decimalToMinor } from '../../money';
import { around, EMAIL_AMOUNT_WINDOW_MS, searchWindow, within, type TimeWindow } from '../commerce/window';
import type { PaymentHint, PulledStoreOrder, StoreOrders } from '../commerce/types';
import { basicAuth, vendorCall, type VendorHttp } from '../http';
import { gmt, wooMetaShipments, wooOrderRecords, wooPaymentIds } from './mapping';
import { WooNotes, WooOrders, type WooOrder } from './schema';

export interface WooSettings {
  /** The store's base URL, e.g. https://shop.example.com */
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface WooDeps {
  log: Logger;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Orders read per search before giving up (pages of 100, the REST maximum). */
  maxOrders?: number;
}

const SOURCE = 'woocommerce';
const PER_PAGE = 100;

/**
 * WooCommerce REST v3 over fetch with HTTP Basic (consumer key and secret), as the docs prescribe for
 * HTTPS. Not the npm client: over http:// it silently switches to OAuth 1.0a, it does not retry 429,
 * and our shared vendor call already does the auth/429/5xx/schema handling every source needs.
 */
export class WooStore implements StoreOrders {
  private readonly http: VendorHttp;
  private readonly now: () => Date;

  constructor(settings: WooSettings, private readonly deps: WooDeps) {
    this.http = { source: SOURCE, base: `${settings.url.replace(/\/+$/, '')}/wp-json/wc/v3`, authorization: basicAuth(settings.consumerKey, settings.consumerSecret), sleep: deps.sleep };
    this.now = deps.now ?? (() => new Date());
  }

  /** `search` is not documented to cover transaction_id: read the payment's window page by page and compare. */
  async orderByPaymentId(paymentIds: string[], hint?: PaymentHint): Promise<PulledStoreOrder | null> {
    const wanted = new Set(paymentIds);
    const found = await this.findOrders({}, searchWindow(hint, this.now()), (o) => wooPaymentIds(o).some((id) => wanted.has(id)), 'first');
    return found[0] ? this.records(found[0], 'payment_id') : null;
  }

  async orderByEmailAndAmount(q: { email: string; amount: { value: number; currency: string }; paidAt: string }): Promise<PulledStoreOrder | null> {
    const window = around(q.paidAt, EMAIL_AMOUNT_WINDOW_MS);
    const email = q.email.trim().toLowerCase();
    const found = await this.findOrders({ search: email }, window, (o) =>
      o.billing.email?.trim().toLowerCase() === email &&
      o.currency.toUpperCase() === q.amount.currency &&
      decimalToMinor(o.total, o.currency) === q.amount.value &&
      within(window, gmt(o.date_paid_gmt || o.date_created_gmt)),
    'all');
    if (found.length > 1) {
      this.deps.log.warn({ source: SOURCE, candidates: found.length }, 'several orders match the email and amount: none is taken');
      return null;
    }
    return found[0] ? this.records(found[0], 'email_amount') : null;
  }

  /** The order's records; its notes are read only when the Shipment Tracking meta has no parcel. */
  private async records(order: WooOrder, match: PulledStoreOrder['match']): Promise<PulledStoreOrder> {
    if (wooMetaShipments(order).length) return wooOrderRecords(order, match);
    const { data: notes } = await vendorCall(this.http, { path: `orders/${order.id}/notes`, schema: WooNotes, what: 'the order notes' });
    return wooOrderRecords(order, match, notes);
  }

  private async findOrders(filter: { search?: string }, window: TimeWindow, wanted: (o: WooOrder) => boolean, stop: 'first' | 'all'): Promise<WooOrder[]> {
    const found: WooOrder[] = [];
    const maxPages = Math.ceil((this.deps.maxOrders ?? 1000) / PER_PAGE);
    for (let page = 1; page <= maxPages; page++) {
      const { data, headers } = await vendorCall(this.http, {
        path: 'orders',
        query: { ...filter, after: window.from, before: window.to, dates_are_gmt: 'true', per_page: PER_PAGE, page, orderby: 'date', order: 'desc' },
        schema: WooOrders,
        what: 'the order list',
      });
      for (const order of data) {
        if (!wanted(order)) continue;
        found.push(order);
        if (stop === 'first') return found;
      }
      const totalPages = Number(headers.get('x-wp-totalpages') ?? '1');
      if (page >= totalPages || data.length === 0) return found;
    }
    this.deps.log.warn({ source: SOURCE, pages: maxPages }, 'stopped reading orders at the page cap');
    return found;
  }
}
