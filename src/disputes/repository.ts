import type { Selectable } from 'kysely';
import type { Db } from '../db/pool';
import type { DisputesTable } from '../db/schema';
import type { Dispute, DisputeStatus, Outcome, Reason, Stage } from './model';

export type DisputeRow = Selectable<DisputesTable>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A disputes row as the canonical Dispute of CONTRACT.md. */
export function toDispute(row: DisputeRow): Dispute {
  return {
    id: row.id,
    provider: row.provider,
    providerDisputeId: row.provider_dispute_id,
    providerPaymentId: row.provider_payment_id,
    orderId: row.order_id,
    amount:
      row.amount_value === null || row.amount_currency === null
        ? null
        : { value: Number(row.amount_value), currency: row.amount_currency },
    reason: row.reason as Reason,
    providerReason: row.provider_reason,
    status: row.status as DisputeStatus,
    providerStatus: row.provider_status,
    stage: row.stage as Stage,
    dueBy: iso(row.due_by),
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: iso(row.closed_at),
    outcome: row.outcome as Outcome | null,
    evidence: {
      completeness: Number(row.evidence_completeness),
      missing: row.evidence_missing,
      submittedAt: iso(row.submitted_at),
    },
  };
}

export async function findDispute(db: Db, id: string): Promise<Dispute | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db.selectFrom('disputes').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDispute(row);
}

export interface DisputeFilter {
  status?: DisputeStatus;
  provider?: Dispute['provider'];
  /** only disputes whose evidence deadline is before this instant */
  dueBefore?: Date;
  limit?: number;
}

/** Soonest deadline first; disputes without a deadline last. */
export async function listDisputes(db: Db, filter: DisputeFilter = {}): Promise<Dispute[]> {
  let query = db.selectFrom('disputes').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.provider) query = query.where('provider', '=', filter.provider);
  if (filter.dueBefore) query = query.where('due_by', '<', filter.dueBefore);
  const rows = await query
    .orderBy((eb) => eb.ref('due_by'), (ob) => ob.asc().nullsLast())
    .orderBy('opened_at', 'asc')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map(toDispute);
}
