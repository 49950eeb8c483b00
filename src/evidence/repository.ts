import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/pool';
import type { Database } from '../db/schema';
import { maskCardNumbers } from '../log';
import type { Message, Order, OrderMatch, Policies, RecordSource, Shipment, StoredMessage } from './records';

type Executor = Db | Transaction<Database>;

/** Card numbers never reach the store: anything Luhn-valid of card length is masked first. */
const storable = (value: unknown) => maskCardNumbers(JSON.stringify(value));

export class OrderNotFound extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} not found`);
  }
}

/** Who pushed a record: the admin API or an NDJSON import (pulled records are written by src/sources/commerce). */
export type PushedSource = 'api' | 'import';

/** An origin once listed on a record stays listed: the set union of two jsonb arrays. */
export const unionOrigins = (current: string, added: string) =>
  sql<string>`(select coalesce(jsonb_agg(distinct o), '[]'::jsonb) from jsonb_array_elements(${sql.ref(current)} || ${sql.ref(added)}) o)`;

/**
 * Upserts; true when something changed (the same body again changes nothing, not even updated_at).
 * The merchant's record wins over a pulled one of the same id: it takes the row, the pull stays listed as an origin.
 */
export async function putOrder(db: Executor, orderId: string, order: Order, source: PushedSource = 'api'): Promise<boolean> {
  const changed = await db
    .insertInto('orders')
    .values({ order_id: orderId, data: storable(order), customer_email: order.customer.email.toLowerCase(), source, origins: JSON.stringify([{ source }]) })
    .onConflict((oc) =>
      oc
        .column('order_id')
        .doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          customer_email: eb.ref('excluded.customer_email'),
          source: eb.ref('excluded.source'),
          match: null,
          origins: unionOrigins('orders.origins', 'excluded.origins'),
          updated_at: new Date(),
        }))
        .where(sql<boolean>`orders.data is distinct from excluded.data or orders.source is distinct from excluded.source`),
    )
    .returning('order_id')
    .executeTakeFirst();
  await db.deleteFrom('order_payments').where('order_id', '=', orderId).where('payment_id', 'not in', order.paymentIds).execute();
  await db
    .insertInto('order_payments')
    .values(order.paymentIds.map((paymentId) => ({ payment_id: paymentId, order_id: orderId })))
    .onConflict((oc) => oc.column('payment_id').doUpdateSet({ order_id: orderId }).where('order_payments.order_id', '<>', orderId))
    .execute();
  return changed !== undefined;
}

async function requireOrder(db: Executor, orderId: string): Promise<void> {
  const found = await db.selectFrom('orders').select('order_id').where('order_id', '=', orderId).executeTakeFirst();
  if (!found) throw new OrderNotFound(orderId);
}

export async function putShipment(db: Executor, orderId: string, shipmentId: string, shipment: Shipment, source: PushedSource = 'api'): Promise<boolean> {
  await requireOrder(db, orderId);
  const changed = await db
    .insertInto('shipments')
    .values({ order_id: orderId, shipment_id: shipmentId, data: storable(shipment), source, origins: JSON.stringify([{ source }]) })
    .onConflict((oc) =>
      oc
        .columns(['order_id', 'shipment_id'])
        .doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), source: eb.ref('excluded.source'), origins: unionOrigins('shipments.origins', 'excluded.origins'), updated_at: new Date() }))
        .where(sql<boolean>`shipments.data is distinct from excluded.data or shipments.source is distinct from excluded.source`),
    )
    .returning('shipment_id')
    .executeTakeFirst();
  return changed !== undefined;
}

export async function putMessage(db: Executor, orderId: string, messageId: string, message: Message): Promise<boolean> {
  await requireOrder(db, orderId);
  const changed = await db
    .insertInto('messages')
    .values({ order_id: orderId, message_id: messageId, data: storable(message), at: message.at })
    .onConflict((oc) =>
      oc
        .columns(['order_id', 'message_id'])
        .doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), at: eb.ref('excluded.at'), updated_at: new Date() }))
        .where(sql<boolean>`messages.data is distinct from excluded.data`),
    )
    .returning('message_id')
    .executeTakeFirst();
  return changed !== undefined;
}

export async function putPolicies(db: Executor, policies: Policies): Promise<boolean> {
  const changed = await db
    .insertInto('policies')
    .values({ id: 1, data: storable(policies) })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), updated_at: new Date() }))
        .where(sql<boolean>`policies.data is distinct from excluded.data`),
    )
    .returning('id')
    .executeTakeFirst();
  return changed !== undefined;
}

/** One place a record came from; `orderId` when that source found a different order for the dispute. */
export interface RecordOrigin {
  source: RecordSource;
  match?: OrderMatch;
  orderId?: string;
}

/** The aggregator's handle on a parcel, and whether it could track it at all. */
export interface ShipmentTracking {
  provider: 'aftership' | 'easypost';
  state: 'found' | 'unknown';
  trackerId?: string;
  reason?: string;
}

export type StoredShipment = Shipment & { shipmentId: string; source?: RecordSource; origins?: RecordOrigin[]; tracking?: ShipmentTracking | null };

export interface OrderRecords {
  orderId: string;
  order: Order;
  /** Where the order came from and how a pulled one was tied to the dispute (migration 0013). */
  source?: RecordSource;
  match?: OrderMatch | null;
  origins?: RecordOrigin[];
  shipments: StoredShipment[];
  messages: Array<StoredMessage & { messageId: string }>;
}

export async function orderIdForPayment(db: Db, paymentId: string | null): Promise<string | undefined> {
  if (!paymentId) return undefined;
  const row = await db.selectFrom('order_payments').select('order_id').where('payment_id', '=', paymentId).executeTakeFirst();
  return row?.order_id;
}

export async function loadOrderRecords(db: Db, orderId: string): Promise<OrderRecords | undefined> {
  const order = await db.selectFrom('orders').select(['data', 'source', 'match', 'origins']).where('order_id', '=', orderId).executeTakeFirst();
  if (!order) return undefined;
  const [shipments, messages] = await Promise.all([
    db.selectFrom('shipments').select(['shipment_id', 'data', 'source', 'origins', 'tracking']).where('order_id', '=', orderId).orderBy('shipment_id').execute(),
    db.selectFrom('messages').select(['message_id', 'data']).where('order_id', '=', orderId).orderBy('at').orderBy('message_id').execute(),
  ]);
  return {
    orderId,
    order: order.data as Order,
    source: order.source as RecordSource,
    match: order.match,
    origins: order.origins as RecordOrigin[],
    shipments: shipments.map((s) => ({
      ...(s.data as Shipment),
      shipmentId: s.shipment_id,
      source: s.source as RecordSource,
      origins: s.origins as RecordOrigin[],
      tracking: (s.tracking ?? null) as ShipmentTracking | null,
    })),
    messages: messages.map((m) => ({ ...(m.data as StoredMessage), messageId: m.message_id })),
  };
}

export async function loadPolicies(db: Db): Promise<Policies> {
  const row = await db.selectFrom('policies').select('data').where('id', '=', 1).executeTakeFirst();
  return (row?.data ?? {}) as Policies;
}

/** The customer's other orders (same email) that no dispute names: proof of an honest buying history. */
export async function priorUndisputedOrders(db: Db, email: string, excludeOrderId: string): Promise<Array<{ orderId: string; placedAt: string }>> {
  const rows = await db
    .selectFrom('orders')
    .select(['order_id', 'data'])
    .where(sql<boolean>`lower(customer_email) = ${email.toLowerCase()}`)
    .where('order_id', '<>', excludeOrderId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('disputes').select('disputes.id').whereRef('disputes.order_id', '=', 'orders.order_id'))),
    )
    .execute();
  return rows
    .map((r) => ({ orderId: r.order_id, placedAt: (r.data as Order).placedAt }))
    .filter((o) => o.placedAt)
    .sort((a, b) => a.placedAt.localeCompare(b.placedAt));
}

/** Disputes about this order that still take a response: their evidence is gathered again. */
export async function answerableDisputesOfOrder(db: Db, orderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('disputes')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('order_id', '=', orderId),
        eb('provider_payment_id', 'in', eb.selectFrom('order_payments').select('payment_id').where('order_id', '=', orderId)),
      ]),
    )
    .where('status', '=', 'needs_response')
    .where('submitted_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}
