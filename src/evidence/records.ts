import { z } from 'zod';

/** The merchant's own records, as CONTRACT.md's admin API takes them. */

export const Address = z.object({
  line1: z.string().min(1),
  line2: z.string().optional(),
  city: z.string().min(1),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().length(2, 'ISO 3166 alpha-2 country code'),
});
export type Address = z.infer<typeof Address>;

const Amount = z.object({ value: z.number().int().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) });
const Instant = z.iso.datetime({ offset: true });

export const OrderBody = z.object({
  paymentIds: z.array(z.string().min(1)).min(1),
  placedAt: Instant,
  amount: Amount,
  customer: z.object({
    name: z.string().min(1),
    email: z.email(),
    phone: z.string().optional(),
    billingAddress: Address.optional(),
    shippingAddress: Address.optional(),
  }),
  items: z
    .array(z.object({ sku: z.string().optional(), description: z.string().min(1), quantity: z.number().int().positive(), unitAmount: z.number().int().nonnegative().optional() }))
    .min(1),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  checks: z
    .object({
      avs: z.enum(['pass', 'fail', 'unavailable']).optional(),
      cvc: z.enum(['pass', 'fail', 'unavailable']).optional(),
      threeDSecure: z.enum(['authenticated', 'attempted', 'failed', 'not_used']).optional(),
    })
    .optional(),
  productUrl: z.url().optional(),
});
export type Order = z.infer<typeof OrderBody>;

/** Where a record came from: pulled from a store or a tracker, or pushed by the merchant (API, NDJSON import). */
export const RECORD_SOURCES = ['shopify', 'woocommerce', 'aftership', 'easypost', 'api', 'import'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];
export const PUSHED_SOURCES: readonly RecordSource[] = ['api', 'import'];

/** How a pulled order was tied to the dispute: the payment id among the store's transactions, or (weaker) email + amount. */
export const ORDER_MATCHES = ['payment_id', 'email_amount'] as const;
export type OrderMatch = (typeof ORDER_MATCHES)[number];

/** What a carrier says about where it delivered: rarely a street, usually a town, postcode and country. */
export const DeliveryLocation = z.object({
  city: z.string().min(1).optional(),
  state: z.string().min(1).optional(),
  postalCode: z.string().min(1).optional(),
  country: z.string().length(2, 'ISO 3166 alpha-2 country code').optional(),
});
export type DeliveryLocation = z.infer<typeof DeliveryLocation>;

export const SHIPMENT_STATUSES = ['label_created', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const ShipmentBody = z.object({
  carrier: z.string().min(1),
  trackingNumber: z.string().min(1),
  shippedAt: Instant,
  deliveredAt: Instant.optional(),
  status: z.enum(SHIPMENT_STATUSES),
  deliveryAddress: Address.optional(),
  /** The carrier's delivery scan location, when no full address is known. */
  deliveryLocation: DeliveryLocation.optional(),
  proofOfDelivery: z.string().min(1).optional(),
  signedBy: z.string().min(1).optional(),
  events: z.array(z.object({ at: Instant, status: z.string().min(1), location: z.string().optional() })).optional(),
});
export type Shipment = z.infer<typeof ShipmentBody>;

export const MessageBody = z.object({
  channel: z.enum(['email', 'chat', 'helpdesk', 'phone']),
  direction: z.enum(['inbound', 'outbound']),
  from: z.string().min(1),
  at: Instant,
  body: z.string().min(1).max(100_000),
});
export type Message = z.infer<typeof MessageBody>;

/** Where a pulled message came from (a helpdesk ticket); messages pushed through the API have none. */
export interface MessageOrigin {
  source: string;
  sourceId: string;
  sourceUrl: string;
  author: string;
  ticketId: string;
}
export type StoredMessage = Message & Partial<MessageOrigin>;

export const PoliciesBody = z
  .object({ refund: z.string().min(1).optional(), shipping: z.string().min(1).optional(), cancellation: z.string().min(1).optional(), termsUrl: z.url().optional() })
  .strict();
export type Policies = z.infer<typeof PoliciesBody>;

const Id = z.string().min(1).max(200);

/** One NDJSON import line: the PUT body plus its ids. */
export const ImportLine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('order'), data: OrderBody.extend({ orderId: Id }) }),
  z.object({ type: z.literal('shipment'), data: ShipmentBody.extend({ orderId: Id, shipmentId: Id }) }),
  z.object({ type: z.literal('message'), data: MessageBody.extend({ orderId: Id, messageId: Id }) }),
]);
export type ImportLine = z.infer<typeof ImportLine>;
