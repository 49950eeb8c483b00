import type { Transaction } from 'kysely';
import type { Db } from '../../db/pool';
import type { Database } from '../../db/schema';
import type { Dispute } from '../../disputes/model';
import { OrderBody, ShipmentBody, type RecordSource } from '../../evidence/records';
import type { EvidenceInput } from '../../evidence/packet';
import type { RecordOrigin } from '../../evidence/repository';
import type { Logger } from '../../log';
import { maskCardNumbers } from '../../log';
import { parseVendorPayload, SourcePayloadInvalid } from '../errors';
import { canonicalJson } from './mapping';
import { addOrigin, chooseOrder, mergeOrderRow, type HeldOrder } from './origins';
import { factsOfDispute, type PaymentFacts, type PaymentLookup } from './payment';
import type { PulledStoreOrder, StoreOrders } from './types';

type Executor = Db | Transaction<Database>;
const storable = (value: unknown) => maskCardNumbers(JSON.stringify(value));

/** The question a store is asked for a dispute: its payment, amount and dates. */
export function storeQuery(input: EvidenceInput): { paymentId: string; amount: Dispute['amount']; openedAt: string } | undefined {
  const d = input.dispute;
  return d.providerPaymentId ? { paymentId: d.providerPaymentId, amount: d.amount, openedAt: d.openedAt } : undefined;
}

/** By payment id among the store's transactions; else, when the provider told us who paid and when, by email + amount. */
export async function findOrder(store: StoreOrders, dispute: Dispute, facts: PaymentFacts): Promise<PulledStoreOrder | null> {
  const byPayment = facts.paymentIds.length ? await store.orderByPaymentId(facts.paymentIds, { paidAt: facts.paidAt, openedAt: dispute.openedAt }) : null;
  if (byPayment) return byPayment;
  if (!facts.email || !facts.paidAt || !dispute.amount) return null;
  return store.orderByEmailAndAmount({ email: facts.email, amount: dispute.amount, paidAt: facts.paidAt });
}

/** A pulled order must be a valid record before anything is written: otherwise the pull fails and says why. */
function validated(source: string, pulled: PulledStoreOrder): PulledStoreOrder {
  const order = parseVendorPayload(OrderBody, pulled.order, source, `order ${pulled.orderId}`, 'order');
  const shipments = pulled.shipments.map((s) => {
    const shipment = ShipmentBody.safeParse(s.shipment);
    if (!shipment.success) throw new SourcePayloadInvalid(source, `order ${pulled.orderId} shipment ${s.shipmentId}`, shipment.error.issues[0]?.message ?? 'invalid');
    return { shipmentId: s.shipmentId, shipment: shipment.data };
  });
  return { ...pulled, order, shipments };
}

/** Writes a pulled order under its id (the merchant's row of the same id wins); true when anything changed. */
async function putPulledOrder(db: Executor, pulled: PulledStoreOrder, extraOrigins: RecordOrigin[]): Promise<boolean> {
  const own: RecordOrigin = { source: pulled.source, match: pulled.match };
  const existing = await db.selectFrom('orders').select(['data', 'source', 'match', 'origins']).where('order_id', '=', pulled.orderId).forUpdate().executeTakeFirst();
  let changed = false;
  if (!existing) {
    const origins = extraOrigins.reduce(addOrigin, [own]);
    await db
      .insertInto('orders')
      .values({ order_id: pulled.orderId, data: storable(pulled.order), customer_email: pulled.order.customer.email.toLowerCase(), source: pulled.source, match: pulled.match, origins: JSON.stringify(origins) })
      .execute();
    changed = true;
  } else {
    const merged = mergeOrderRow({ source: existing.source as RecordSource, match: existing.match, origins: existing.origins as RecordOrigin[] }, pulled);
    const origins = extraOrigins.reduce(addOrigin, merged.origins);
    const data = merged.replaceData ? storable(pulled.order) : JSON.stringify(existing.data);
    const dataChanged = merged.replaceData && canonicalJson(JSON.parse(data)) !== canonicalJson(existing.data);
    const originsChanged = canonicalJson(origins) !== canonicalJson(existing.origins);
    const sourceChanged = merged.replaceData && (existing.source !== pulled.source || existing.match !== merged.match);
    if (dataChanged || originsChanged || sourceChanged) {
      await db
        .updateTable('orders')
        .set({
          ...(merged.replaceData ? { data, customer_email: pulled.order.customer.email.toLowerCase(), source: pulled.source } : {}),
          match: merged.match,
          origins: JSON.stringify(origins),
          updated_at: new Date(),
        })
        .where('order_id', '=', pulled.orderId)
        .execute();
      changed = true;
    }
    if (!merged.replaceData) return changed;
  }
  // Its payment ids lead to it, unless the merchant already tied one to another order.
  await db
    .insertInto('order_payments')
    .values(pulled.order.paymentIds.map((paymentId) => ({ payment_id: paymentId, order_id: pulled.orderId })))
    .onConflict((oc) => oc.column('payment_id').doNothing())
    .execute();
  for (const { shipmentId, shipment } of pulled.shipments) if (await putStoreShipment(db, pulled.orderId, shipmentId, shipment, pulled.source)) changed = true;
  return changed;
}

/**
 * A store's parcel: new → inserted; the same store's earlier copy → replaced; a row the merchant
 * pushed or a tracker already enriched → kept (the store only joins its origins).
 */
async function putStoreShipment(db: Executor, orderId: string, shipmentId: string, shipment: unknown, source: RecordSource): Promise<boolean> {
  const existing = await db.selectFrom('shipments').select(['data', 'source', 'origins']).where('order_id', '=', orderId).where('shipment_id', '=', shipmentId).forUpdate().executeTakeFirst();
  if (!existing) {
    await db.insertInto('shipments').values({ order_id: orderId, shipment_id: shipmentId, data: storable(shipment), source, origins: JSON.stringify([{ source }]) }).execute();
    return true;
  }
  const origins = addOrigin(existing.origins as RecordOrigin[], { source });
  const replace = existing.source === source && canonicalJson(JSON.parse(storable(shipment))) !== canonicalJson(existing.data);
  if (!replace && origins.length === (existing.origins as RecordOrigin[]).length) return false;
  await db
    .updateTable('shipments')
    .set({ ...(replace ? { data: storable(shipment) } : {}), origins: JSON.stringify(origins), updated_at: new Date() })
    .where('order_id', '=', orderId)
    .where('shipment_id', '=', shipmentId)
    .execute();
  return true;
}

export interface StorePullResult {
  records: number;
  changed: number;
  changedOrders: string[];
}

/**
 * Pulls the dispute's order from one store and ties it to the dispute. When the dispute already holds
 * another order, the stronger tie wins (merchant's record > payment id > email + amount) and the
 * other is listed among the winner's origins: one order per dispute, every origin shown.
 */
export async function pullStoreOrder(
  deps: { db: Db; log: Logger; payments?: PaymentLookup },
  source: string,
  store: StoreOrders,
  input: EvidenceInput,
): Promise<StorePullResult> {
  const dispute = input.dispute;
  const facts = await (deps.payments?.(dispute).catch((err: unknown) => {
    deps.log.warn({ err, disputeId: dispute.id }, 'the payment could not be read from the provider; matching by its id only');
    return factsOfDispute(dispute);
  }) ?? Promise.resolve(factsOfDispute(dispute)));
  const found = await findOrder(store, dispute, facts);
  if (!found) return { records: 0, changed: 0, changedOrders: [] };
  const pulled = validated(source, found);
  let decision: ReturnType<typeof chooseOrder> = 'adopt';
  let held: HeldOrder | undefined;
  const changed = await deps.db.transaction().execute(async (trx) => {
    // The dispute row is locked: two stores answering at once decide one after the other, on what is held now.
    const row = await trx.selectFrom('disputes').select(['order_id', 'provider_payment_id']).where('id', '=', dispute.id).forUpdate().executeTakeFirstOrThrow();
    const heldId = row.order_id ?? (row.provider_payment_id ? (await trx.selectFrom('order_payments').select('order_id').where('payment_id', '=', row.provider_payment_id).executeTakeFirst())?.order_id : undefined);
    const heldRow = heldId ? await trx.selectFrom('orders').select(['order_id', 'source', 'match']).where('order_id', '=', heldId).executeTakeFirst() : undefined;
    held = heldRow ? { orderId: heldRow.order_id, source: heldRow.source as RecordSource, match: heldRow.match } : undefined;
    decision = chooseOrder(held, pulled);
    if (decision === 'keep') {
      // The dispute keeps its stronger order; this store's candidate is listed as an origin of it.
      const kept = await trx.selectFrom('orders').select('origins').where('order_id', '=', held!.orderId).forUpdate().executeTakeFirstOrThrow();
      const origins = addOrigin(kept.origins as RecordOrigin[], { source: pulled.source, match: pulled.match, orderId: pulled.orderId });
      if (origins.length === (kept.origins as RecordOrigin[]).length) return false;
      await trx.updateTable('orders').set({ origins: JSON.stringify(origins), updated_at: new Date() }).where('order_id', '=', held!.orderId).execute();
      return true;
    }
    const displaced: RecordOrigin[] = decision === 'adopt' && held ? [{ source: held.source!, ...(held.match ? { match: held.match } : {}), orderId: held.orderId }] : [];
    const wrote = await putPulledOrder(trx, pulled, displaced);
    const relinked = await trx
      .updateTable('disputes')
      .set({ order_id: pulled.orderId })
      .where('id', '=', dispute.id)
      .where((eb) => eb.or([eb('order_id', 'is', null), eb('order_id', '<>', pulled.orderId)]))
      .executeTakeFirst();
    return wrote || Number(relinked.numUpdatedRows) > 0;
  });
  // Assigned inside the transaction's callback (TypeScript cannot see it).
  const final = { decision: decision as ReturnType<typeof chooseOrder>, held: held as HeldOrder | undefined };
  const orderId = final.decision === 'keep' ? final.held!.orderId : pulled.orderId;
  deps.log.info({ source, disputeId: dispute.id, orderId: pulled.orderId, match: pulled.match, decision: final.decision, changed }, 'store order pulled');
  return { records: 1 + pulled.shipments.length, changed: changed ? 1 : 0, changedOrders: changed ? [orderId] : [] };
}

