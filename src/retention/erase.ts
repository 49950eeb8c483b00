import { sql } from 'kysely';
import type { Db } from '../db/pool';

/** Disputes handled per transaction: a large backlog is worked off in small steps. */
const BATCH = 100;

/** What an erased order says instead of its customer (still a valid order record for the schema). */
const ERASED_CUSTOMER = { name: '[erased]', email: 'erased@erased.invalid' };
const ERASED_BODY = Buffer.from(JSON.stringify({ erased: true, why: 'RETENTION_DAYS' }));

/**
 * RETENTION_DAYS: personal data of disputes closed longer ago than the retention period is
 * erased, the dispute's outcome, amounts, reason and dates kept for analytics. Erased: the
 * customer on the order (name, email, phone, addresses, IP), shipment delivery addresses and
 * signatures, every message on the order, the evidence packets (they quote all of these) and the
 * raw webhook bodies and headers of the dispute's events. An order that another dispute still
 * needs (open, or closed more recently) is kept until that one's time comes.
 */
export async function erasePersonalData(db: Db, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let erased = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const disputes = await trx
        .selectFrom('disputes')
        .select(['id', 'order_id', 'provider_payment_id'])
        .where('closed_at', '<', cutoff)
        .where('personal_data_erased_at', 'is', null)
        .orderBy('closed_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (disputes.length === 0) return 0;
      const ids = disputes.map((d) => d.id);

      // Orders of these disputes, by link or by payment id, that no dispute outside the erasable set still needs.
      const orders = await sql<{ order_id: string }>`
        select distinct o.order_id from orders o
        join disputes d on d.id = any(${ids}::uuid[])
          and (d.order_id = o.order_id or exists (select 1 from order_payments p where p.order_id = o.order_id and p.payment_id = d.provider_payment_id))
        where not exists (
          select 1 from disputes other
          where (other.order_id = o.order_id or exists (select 1 from order_payments p where p.order_id = o.order_id and p.payment_id = other.provider_payment_id))
            and (other.closed_at is null or other.closed_at >= ${cutoff})
        )`.execute(trx);
      const orderIds = orders.rows.map((r) => r.order_id);
      if (orderIds.length > 0) {
        await trx
          .updateTable('orders')
          .set({
            data: sql`(data - 'ip') || jsonb_build_object('customer', ${JSON.stringify(ERASED_CUSTOMER)}::jsonb)`,
            customer_email: null,
            updated_at: now,
          })
          .where('order_id', 'in', orderIds)
          .execute();
        await trx.updateTable('shipments').set({ data: sql`data - 'deliveryAddress' - 'proofOfDelivery'`, updated_at: now }).where('order_id', 'in', orderIds).execute();
        await trx.deleteFrom('messages').where('order_id', 'in', orderIds).execute();
      }
      await trx.deleteFrom('packets').where('dispute_id', 'in', ids).execute();
      await trx
        .updateTable('events')
        .set({ raw_body: ERASED_BODY, headers: '{}' })
        .where('id', 'in', trx.selectFrom('dispute_timeline').select('event_id').where('dispute_id', 'in', ids))
        .execute();
      await trx.updateTable('disputes').set({ personal_data_erased_at: now }).where('id', 'in', ids).execute();
      return disputes.length;
    });
    erased += done;
    if (done < BATCH) return erased;
  }
}
