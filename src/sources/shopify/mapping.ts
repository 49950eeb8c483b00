import type { Order, Shipment, ShipmentStatus } from '../../evidence/records';
import { decimalToMinor } from '../../money';
import { addressOf, fullName, ipOf, optional, shipmentStatusOf, uniqueIds } from '../commerce/mapping';
import type { PulledStoreOrder } from '../commerce/types';
import type { ShopifyOrder } from './schema';

/** Shopify's words (order, fulfillment, transaction) → our order and shipment records. Pure. */

/** Keys under which a gateway receipt carries its own payment ids (Stripe charge/intent, PayPal capture, …). */
const RECEIPT_ID_KEYS = new Set(['id', 'charge', 'payment_intent', 'latest_charge', 'transaction_id', 'capture_id', 'payment_id', 'authorization', 'authorization_id']);

function receiptIds(receiptJson: string | null | undefined): string[] {
  if (!receiptJson) return [];
  let receipt: unknown;
  try {
    receipt = JSON.parse(receiptJson);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (value: unknown, key?: string) => {
    if (typeof value === 'string' && key && RECEIPT_ID_KEYS.has(key) && value.length >= 6) found.push(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(receipt);
  return found;
}

/**
 * The gateway payment ids of an order's money-taking transactions. Shopify does not document which
 * field holds a Stripe charge or PayPal capture id; authorizationCode and the receipt carry them.
 */
export function shopifyPaymentIds(order: ShopifyOrder): string[] {
  return uniqueIds(
    order.transactions
      .filter((t) => ['SALE', 'CAPTURE', 'AUTHORIZATION'].includes(t.kind) && t.status !== 'FAILURE' && t.status !== 'ERROR')
      .flatMap((t) => [t.authorizationCode, ...receiptIds(t.receiptJson)]),
  );
}

const FULFILLMENT_STATUS: Record<string, ShipmentStatus> = {
  LABEL_PRINTED: 'label_created',
  LABEL_PURCHASED: 'label_created',
  LABEL_VOIDED: 'exception',
  CONFIRMED: 'in_transit',
  IN_TRANSIT: 'in_transit',
  OUT_FOR_DELIVERY: 'out_for_delivery',
  READY_FOR_PICKUP: 'in_transit',
  DELIVERED: 'delivered',
  PICKED_UP: 'delivered',
  ATTEMPTED_DELIVERY: 'exception',
  FAILURE: 'exception',
  NOT_DELIVERED: 'exception',
  CANCELED: 'exception',
};

/** "#1001" → "1001": the order number merchants see, also what they push as the order id. */
export const shopifyOrderId = (order: ShopifyOrder) => order.name.replace(/^#/, '');

function shipmentsOf(order: ShopifyOrder): PulledStoreOrder['shipments'] {
  return order.fulfillments
    .filter((f) => f.status !== 'CANCELLED')
    .flatMap((f) =>
      f.trackingInfo
        .filter((t) => t.number?.trim())
        .map((t) => {
          const status = f.deliveredAt ? 'delivered' : shipmentStatusOf(f.displayStatus, FULFILLMENT_STATUS);
          const shipment: Shipment = {
            carrier: t.company?.trim() || 'unknown',
            trackingNumber: t.number!.trim(),
            shippedAt: f.createdAt,
            status,
            ...(f.deliveredAt ? { deliveredAt: f.deliveredAt } : {}),
          };
          return { shipmentId: t.number!.trim(), shipment };
        }),
    );
}

export function shopifyOrderRecords(order: ShopifyOrder, match: PulledStoreOrder['match']): PulledStoreOrder {
  const shipping = order.shippingAddress;
  const billing = order.billingAddress;
  const money = order.totalPriceSet.shopMoney;
  const email = order.email?.trim();
  const record: Order = {
    paymentIds: shopifyPaymentIds(order).length ? shopifyPaymentIds(order) : [order.id],
    placedAt: order.processedAt ?? order.createdAt,
    amount: { value: decimalToMinor(money.amount, money.currencyCode), currency: money.currencyCode.toUpperCase() },
    customer: {
      name: fullName(order.customer?.firstName, order.customer?.lastName) || billing?.name?.trim() || shipping?.name?.trim() || email || order.name,
      email: email ?? '',
      ...(order.phone ? { phone: order.phone } : {}),
      ...optional('billingAddress', addressOf(billing && { line1: billing.address1, line2: billing.address2, city: billing.city, state: billing.provinceCode, postalCode: billing.zip, country: billing.countryCodeV2 })),
      ...optional('shippingAddress', addressOf(shipping && { line1: shipping.address1, line2: shipping.address2, city: shipping.city, state: shipping.provinceCode, postalCode: shipping.zip, country: shipping.countryCodeV2 })),
    },
    items: order.lineItems.nodes.map((i) => ({
      ...(i.sku ? { sku: i.sku } : {}),
      description: i.title,
      quantity: i.quantity,
      ...(i.originalUnitPriceSet ? { unitAmount: decimalToMinor(i.originalUnitPriceSet.shopMoney.amount, i.originalUnitPriceSet.shopMoney.currencyCode) } : {}),
    })),
    ...optional('ip', ipOf(order.clientIp)),
  };
  return { orderId: shopifyOrderId(order), source: 'shopify', match, order: record, shipments: shipmentsOf(order) };
}
