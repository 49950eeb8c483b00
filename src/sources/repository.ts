import { sql } from 'kysely';
import type { Db } from '../db/pool';
import { maskCardNumbers } from '../log';

/** The source_* tables of migration 0012: pulls, sync requests, claimed actions, auth alerts. */

export interface PullRecord {
  source: string;
  disputeId: string;
  trigger: string;
  status: 'ok' | 'error';
  records: number;
  changed: number;
  query: unknown;
  error?: string;
}

export async function recordPull(db: Db, pull: PullRecord): Promise<void> {
  await db
    .insertInto('source_pulls')
    .values({
      source: pull.source,
      dispute_id: pull.disputeId,
      trigger: pull.trigger,
      status: pull.status,
      records: pull.records,
      changed: pull.changed,
      query: JSON.stringify(pull.query),
      error: pull.error === undefined ? null : maskCardNumbers(pull.error).slice(0, 1000),
    })
    .execute();
}

/**
 * What the last pull of this source for this dispute asked for, ok or not (to tell whether the
 * question changed); a failed one is retried by its own job and the interval, not by every change.
 */
export async function lastQuery(db: Db, source: string, disputeId: string): Promise<unknown> {
  const row = await db
    .selectFrom('source_pulls')
    .select('query')
    .where('source', '=', source)
    .where('dispute_id', '=', disputeId)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.query;
}

export interface SourceActivity {
  lastSyncAt: string | null;
  lastError: string | null;
  /** Records held from it: the sum, over disputes, of what its latest good pull brought. */
  records: number;
}

export async function sourceActivity(db: Db): Promise<Map<string, SourceActivity>> {
  const { rows } = await sql<{ source: string; last_sync_at: Date; last_error: string | null; records: string | number }>`
    select p.source,
      max(p.at) as last_sync_at,
      (select l.error from source_pulls l where l.source = p.source order by l.at desc limit 1) as last_error,
      (select coalesce(sum(x.records), 0) from (
        select distinct on (g.dispute_id) g.records from source_pulls g
        where g.source = p.source and g.status = 'ok' order by g.dispute_id, g.at desc) x) as records
    from source_pulls p group by p.source`.execute(db);
  return new Map(rows.map((r) => [r.source, { lastSyncAt: r.last_sync_at.toISOString(), lastError: r.last_error, records: Number(r.records) }]));
}

export interface DisputePull {
  name: string;
  at: string;
  status: 'ok' | 'error';
  records: number;
  error: string | null;
}

/** The latest pull of each source for one dispute. */
export async function pullsOfDispute(db: Db, disputeId: string): Promise<DisputePull[]> {
  const { rows } = await sql<{ source: string; at: Date; status: 'ok' | 'error'; records: number; error: string | null }>`
    select distinct on (source) source, at, status, records, error from source_pulls
    where dispute_id = ${disputeId} order by source, at desc`.execute(db);
  return rows.map((r) => ({ name: r.source, at: r.at.toISOString(), status: r.status, records: r.records, error: r.error }));
}

/** Disputes that still take a response: the ones re-pulled. */
export async function answerableDisputeIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('disputes').select('id').where('status', '=', 'needs_response').where('submitted_at', 'is', null).execute();
  return rows.map((r) => r.id);
}

/**
 * Claims the right to make one outgoing call: a new row, or one whose last try failed before the
 * vendor took it. False when it is done, skipped, or another worker holds it.
 */
export async function claimAction(db: Db, source: string, disputeId: string, action: 'note' | 'ack'): Promise<boolean> {
  const inserted = await db
    .insertInto('source_actions')
    .values({ source, dispute_id: disputeId, action, status: 'claimed' })
    .onConflict((oc) => oc.columns(['source', 'dispute_id', 'action']).doNothing())
    .returning('status')
    .executeTakeFirst();
  if (inserted) return true;
  const reclaimed = await db
    .updateTable('source_actions')
    .set((eb) => ({ status: 'claimed', attempts: eb('attempts', '+', 1), updated_at: new Date() }))
    .where('source', '=', source)
    .where('dispute_id', '=', disputeId)
    .where('action', '=', action)
    .where('status', '=', 'failed')
    .returning('status')
    .executeTakeFirst();
  return reclaimed !== undefined;
}

export async function finishAction(
  db: Db,
  key: { source: string; disputeId: string; action: 'note' | 'ack' },
  outcome: { status: 'done' | 'failed' | 'skipped'; ticketId?: string; url?: string; error?: string },
): Promise<void> {
  await db
    .updateTable('source_actions')
    .set({
      status: outcome.status,
      ticket_id: outcome.ticketId ?? null,
      url: outcome.url ?? null,
      error: outcome.error === undefined ? null : maskCardNumbers(outcome.error).slice(0, 1000),
      updated_at: new Date(),
    })
    .where('source', '=', key.source)
    .where('dispute_id', '=', key.disputeId)
    .where('action', '=', key.action)
    .execute();
}

export interface ActionView {
  source: string;
  action: 'note' | 'ack';
  status: string;
  ticketId: string | null;
  url: string | null;
  error: string | null;
}

export async function actionsOfDispute(db: Db, disputeId: string): Promise<ActionView[]> {
  const rows = await db.selectFrom('source_actions').selectAll().where('dispute_id', '=', disputeId).orderBy('source').orderBy('action').execute();
  return rows.map((r) => ({ source: r.source, action: r.action, status: r.status, ticketId: r.ticket_id, url: r.url, error: r.error }));
}

export async function createSync(db: Db, source: string): Promise<{ id: string; status: 'queued' }> {
  const row = await db.insertInto('source_syncs').values({ source }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, status: 'queued' };
}

export async function finishSync(db: Db, id: string, outcome: { status: 'done' | 'failed'; disputes?: number; error?: string }): Promise<void> {
  await db
    .updateTable('source_syncs')
    .set({ status: outcome.status, disputes: outcome.disputes ?? null, error: outcome.error ?? null, finished_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** True the first time a source's refused credentials are reported on this UTC day. */
export async function claimDailyAlert(db: Db, source: string, now: Date, error: string): Promise<boolean> {
  const inserted = await db
    .insertInto('source_alerts')
    .values({ source, day: now.toISOString().slice(0, 10), error: maskCardNumbers(error).slice(0, 1000) })
    .onConflict((oc) => oc.columns(['source', 'day']).doNothing())
    .returning('source')
    .executeTakeFirst();
  return inserted !== undefined;
}
