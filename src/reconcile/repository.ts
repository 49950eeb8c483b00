import { sql } from 'kysely';
import type { Db } from '../db/pool';
import type { Provider } from '../db/schema';
import type { DisputeState } from '../disputes/ordering';
import { stateOf } from '../disputes/repository';

/** What GET /api/reconcile shows per provider. */
export interface ReconcileStatus {
  provider: Provider;
  lastRunAt: string | null;
  lastError: string | null;
  /** Disputes the last run found missing or out of date in the store. */
  found: number;
  watermark: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function reconcileStatuses(db: Db, providers: readonly Provider[]): Promise<ReconcileStatus[]> {
  const rows = await db.selectFrom('reconcile_state').selectAll().execute();
  return providers.map((provider) => {
    const row = rows.find((r) => r.provider === provider);
    return {
      provider,
      lastRunAt: iso(row?.last_run_at ?? null),
      lastError: row?.last_error ?? null,
      found: row?.found ?? 0,
      watermark: iso(row?.watermark ?? null),
    };
  });
}

export async function watermarkOf(db: Db, provider: Provider): Promise<Date | null> {
  const row = await db.selectFrom('reconcile_state').select('watermark').where('provider', '=', provider).executeTakeFirst();
  return row?.watermark ?? null;
}

/** A whole run committed: the watermark moves forward (never back), the count is added. */
export async function recordSuccess(db: Db, provider: Provider, run: { startedAt: Date; found: number }): Promise<void> {
  await db
    .insertInto('reconcile_state')
    .values({ provider, watermark: run.startedAt, last_run_at: new Date(), last_error: null, found: run.found, found_total: run.found })
    .onConflict((oc) =>
      oc.column('provider').doUpdateSet({
        watermark: sql`greatest(reconcile_state.watermark, excluded.watermark)`,
        last_run_at: sql`excluded.last_run_at`,
        last_error: null,
        found: run.found,
        found_total: sql`reconcile_state.found_total + ${run.found}`,
      }),
    )
    .execute();
}

/** A run failed part-way: the watermark stays where it was; what it did find still counts. */
export async function recordFailure(db: Db, provider: Provider, run: { error: string; found: number }): Promise<void> {
  await db
    .insertInto('reconcile_state')
    .values({ provider, watermark: null, last_run_at: new Date(), last_error: run.error, found: run.found, found_total: run.found })
    .onConflict((oc) =>
      oc.column('provider').doUpdateSet({
        last_run_at: sql`excluded.last_run_at`,
        last_error: run.error,
        found: run.found,
        found_total: sql`reconcile_state.found_total + ${run.found}`,
      }),
    )
    .execute();
}

/** rebuttal_reconcile_found_total, from PostgreSQL: whichever process ran reconciliation, /metrics tells the whole count. */
export async function foundTotals(db: Db): Promise<Array<{ provider: Provider; total: number }>> {
  const rows = await db.selectFrom('reconcile_state').select(['provider', 'found_total']).execute();
  return rows.map((r) => ({ provider: r.provider, total: Number(r.found_total) }));
}

/** The record's provider-owned state of a dispute, if the store has it. */
export async function storedState(db: Db, provider: Provider, providerDisputeId: string): Promise<DisputeState | undefined> {
  const row = await db.selectFrom('disputes').selectAll().where('provider', '=', provider).where('provider_dispute_id', '=', providerDisputeId).executeTakeFirst();
  return row && stateOf(row);
}

/** True the first time it is asked for (provider, day): the staff alert is said once a day. */
export async function claimDailyAlert(db: Db, provider: Provider, day: string, eventId: string): Promise<boolean> {
  const row = await db
    .insertInto('reconcile_alerts')
    .values({ provider, day, event_id: eventId })
    .onConflict((oc) => oc.columns(['provider', 'day']).doNothing())
    .returning('provider')
    .executeTakeFirst();
  return row !== undefined;
}
