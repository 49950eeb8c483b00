import type { Order, Shipment } from '../../evidence/records';
import { decimalToMinor } from '../../money';
import { addressOf, fullName, ipOf, optional, uniqueIds } from '../commerce/mapping';
import type { PulledStoreOrder } from '../commerce/types';
import { WooTrackingItem, type WooNote, type WooOrder } from './schema';

/** WooCommerce's words (order, meta, notes) → our order and shipment records. Pure. */

/** Woo's *_gmt dates carry no zone: they are UTC. */
export const gmt = (value: string) => (/[zZ]|[+-]\d\d:\d\d$/.test(value) ? new Date(value).toISOString() : new Date(`${value}Z`).toISOString());

const meta = (order: WooOrder, key: string) => order.meta_data.find((m) => m.key === key)?.value;
const metaText = (order: WooOrder, key: string) => {
  const value = meta(order, key);
  return typeof value === 'string' ? value : undefined;
};

/**
 * The payment ids a gateway plugin left on the order: `transaction_id` (Stripe charge, PayPal capture,
 * Square payment) and the Stripe plugin's PaymentIntent in meta `_stripe_intent_id`.
 */
export function wooPaymentIds(order: WooOrder): string[] {
  return uniqueIds([order.transaction_id, metaText(order, '_stripe_intent_id'), metaText(order, '_stripe_charge_id'), metaText(order, '_ppcp_paypal_order_id')]);
}

const shippedAt = (value: string | number | null | undefined, fallback: string): string => {
  if (value === null || value === undefined || value === '') return fallback;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return new Date(seconds * 1000).toISOString();
  const parsed = Date.parse(String(value));
  return Number.isNaN(parsed) ? fallback : new Date(parsed).toISOString();
};

/** Shipments from the Shipment Tracking extension's meta (the same key serves the Advanced Shipment Tracking plugin). */
export function wooMetaShipments(order: WooOrder): PulledStoreOrder['shipments'] {
  const items = meta(order, '_wc_shipment_tracking_items');
  if (!Array.isArray(items)) return [];
  return items.flatMap((raw) => {
    const parsed = WooTrackingItem.safeParse(raw);
    if (!parsed.success || !parsed.data.tracking_number.trim()) return [];
    const item = parsed.data;
    const shipment: Shipment = {
      carrier: item.tracking_provider?.trim() || item.custom_tracking_provider?.trim() || 'unknown',
      trackingNumber: item.tracking_number.trim(),
      shippedAt: shippedAt(item.date_shipped, gmt(order.date_created_gmt)),
      status: 'in_transit',
    };
    return [{ shipmentId: shipment.trackingNumber, shipment }];
  });
}

const CARRIER_WORDS = ['UPS', 'USPS', 'FedEx', 'DHL Express', 'DHL', 'Royal Mail', 'Canada Post', 'Australia Post', 'La Poste', 'Colissimo', 'Correos', 'PostNL', 'Deutsche Post', 'GLS', 'DPD', 'Evri', 'Hermes', 'Yanwen', 'YunExpress', 'China Post', '4PX', 'Cainiao'];

/** A tracking number written in an order note ("Shipped with UPS, tracking number 1Z…"), for stores without the extension. */
export function wooNoteShipments(order: WooOrder, notes: WooNote[]): PulledStoreOrder['shipments'] {
  const found = new Map<string, PulledStoreOrder['shipments'][number]>();
  for (const note of notes) {
    const text = note.note.replace(/<[^>]+>/g, ' ');
    const number = /tracking\s*(?:number|no\.?|#|code)?\s*(?:is|:)?\s*([A-Z0-9]{8,35})\b/i.exec(text)?.[1];
    if (!number || found.has(number)) continue;
    const carrier = CARRIER_WORDS.find((c) => new RegExp(`\\b${c}\\b`, 'i').test(text)) ?? 'unknown';
    const at = note.date_created_gmt ? gmt(note.date_created_gmt) : gmt(order.date_created_gmt);
    found.set(number, { shipmentId: number, shipment: { carrier, trackingNumber: number, shippedAt: at, status: 'in_transit' } });
  }
  return [...found.values()];
}

export function wooOrderRecords(order: WooOrder, match: PulledStoreOrder['match'], notes: WooNote[] = []): PulledStoreOrder {
  const b = order.billing;
  const s = order.shipping;
  const lineTotal = (total: string, quantity: number) => Math.round(decimalToMinor(total, order.currency) / Math.max(1, quantity));
  const ids = wooPaymentIds(order);
  const metaShipments = wooMetaShipments(order);
  const record: Order = {
    paymentIds: ids.length ? ids : [`woocommerce:${order.id}`],
    placedAt: gmt(order.date_paid_gmt || order.date_created_gmt),
    amount: { value: decimalToMinor(order.total, order.currency), currency: order.currency.toUpperCase() },
    customer: {
      name: fullName(b.first_name, b.last_name) || fullName(s.first_name, s.last_name) || b.email?.trim() || `order ${order.number}`,
      email: b.email?.trim() ?? '',
      ...optional('phone', b.phone?.trim() || undefined),
      ...optional('billingAddress', addressOf({ line1: b.address_1, line2: b.address_2, city: b.city, state: b.state, postalCode: b.postcode, country: b.country })),
      ...optional('shippingAddress', addressOf({ line1: s.address_1, line2: s.address_2, city: s.city, state: s.state, postalCode: s.postcode, country: s.country })),
    },
    items: order.line_items.map((i) => ({ ...optional('sku', i.sku?.trim() || undefined), description: i.name, quantity: i.quantity, unitAmount: lineTotal(i.total, i.quantity) })),
    ...optional('ip', ipOf(order.customer_ip_address)),
  };
  return { orderId: order.number, source: 'woocommerce', match, order: record, shipments: metaShipments.length ? metaShipments : wooNoteShipments(order, notes) };
}
