import type { Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import { isUuid } from '../db/ids';
import type { Db } from '../db/pool';
import type { Database, DisputesTable, EventSource } from '../db/schema';
import type { DisputeFacts } from './facts';
import { DISPUTE_STATUSES, STAGES, type Dispute, type DisputeStatus, type Outcome, type Reason, type Stage } from './model';
import { applyFact, type DisputeChangeKind, type DisputeState, type Versions } from './ordering';

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
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('disputes').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDispute(row);
}

export interface DisputeFilter {
  status?: DisputeStatus;
  /** any of these statuses (the dashboard's views: needs action, open, closed) */
  statuses?: readonly DisputeStatus[];
  provider?: Dispute['provider'];
  /** only disputes whose evidence deadline is before this instant */
  dueBefore?: Date;
  limit?: number;
}

/** Soonest deadline first; disputes without a deadline last. */
export async function listDisputes(db: Db, filter: DisputeFilter = {}): Promise<Dispute[]> {
  let query = db.selectFrom('disputes').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.statuses) query = query.where('status', 'in', filter.statuses.length ? filter.statuses : ['-']);
  if (filter.provider) query = query.where('provider', '=', filter.provider);
  if (filter.dueBefore) query = query.where('due_by', '<', filter.dueBefore);
  const rows = await query
    .orderBy((eb) => eb.ref('due_by'), (ob) => ob.asc().nullsLast())
    .orderBy('opened_at', 'asc')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map(toDispute);
}

const StoredVersions = z.object({
  fields: z.partialRecord(z.enum(['providerPaymentId', 'amount', 'reason', 'dueBy']), z.array(z.union([z.number(), z.string()]))),
  lifecycle: z.array(
    z.object({
      order: z.number(),
      status: z.enum(DISPUTE_STATUSES),
      stage: z.enum(STAGES).nullable(),
      providerStatus: z.string().nullable(),
      occurredAt: z.string(),
    }),
  ),
});

/**
 * The ordering data of a row. A row written before lifecycle facts were kept (versions held one
 * number list per field) starts from its own status as the one lifecycle fact known.
 */
function versionsOf(row: DisputeRow, dispute: Dispute): Versions {
  const parsed = StoredVersions.safeParse(row.versions);
  if (parsed.success) return parsed.data;
  const { lifecycle, ...fields } = (row.versions ?? {}) as Record<string, Array<number | string>>;
  const order = typeof lifecycle?.[2] === 'number' ? lifecycle[2] : 0;
  const occurredAt = dispute.closedAt ?? dispute.updatedAt;
  return {
    fields: StoredVersions.shape.fields.catch({}).parse(fields),
    lifecycle: [{ order, status: dispute.status, stage: dispute.stage, providerStatus: dispute.providerStatus, occurredAt }],
  };
}

/** The provider-owned state of a row, for applyFact. */
export function stateOf(row: DisputeRow): DisputeState {
  const dispute = toDispute(row);
  const { id: _id, orderId: _o, evidence: _e, ...fields } = dispute;
  return { ...fields, versions: versionsOf(row, dispute) };
}

function stateColumns(state: DisputeState) {
  return {
    provider: state.provider,
    provider_dispute_id: state.providerDisputeId,
    provider_payment_id: state.providerPaymentId,
    amount_value: state.amount?.value ?? null,
    amount_currency: state.amount?.currency ?? null,
    reason: state.reason,
    provider_reason: state.providerReason,
    status: state.status,
    provider_status: state.providerStatus,
    stage: state.stage,
    due_by: state.dueBy,
    opened_at: state.openedAt,
    updated_at: state.updatedAt,
    closed_at: state.closedAt,
    outcome: state.outcome,
    versions: JSON.stringify(state.versions),
  };
}

export interface RecordedEvent {
  disputeId: string;
  /** What listeners must hear: from this processing, or from the first one if this event was seen before. */
  changes: DisputeChangeKind[];
  applied: boolean;
  note: string;
}

/** The stored event a timeline entry tells of. */
export interface RecordedEventRef {
  id: string;
  type: string;
  source?: EventSource;
}

/** The facts of one event folded onto the record, in order. */
function foldFacts(start: DisputeState | undefined, facts: DisputeFacts[]) {
  let state = start;
  const outcomes = facts.map((fact) => {
    const result = applyFact(state, fact);
    state = result.state;
    return result;
  });
  return {
    state: state!,
    changes: [...new Set(outcomes.flatMap((o) => o.changes))],
    applied: outcomes.some((o) => o.applied),
    note: outcomes.at(-1)!.note,
    // A skipped fact is still kept among the lifecycle facts: the row may change when nothing visible does.
    dirty: JSON.stringify(start) !== JSON.stringify(state),
  };
}

/**
 * Applies one event's facts to its dispute under the dispute's row lock, and writes the timeline
 * entry, in one transaction: concurrent workers on the same dispute queue up instead of losing
 * an update. An event already in the timeline (a retry, a redrive) changes nothing and answers
 * what its first processing announced, so a retry after a failed announcement repeats it.
 */
export async function recordFacts(db: Db, event: RecordedEventRef, facts: DisputeFacts[]): Promise<RecordedEvent> {
  const [first] = facts;
  if (!first) throw new Error('no facts to record');
  return db.transaction().execute(async (trx) => {
    const lockRow = () =>
      trx
        .selectFrom('disputes')
        .selectAll()
        .where('provider', '=', first.provider)
        .where('provider_dispute_id', '=', first.providerDisputeId)
        .forUpdate()
        .executeTakeFirst();
    const seenBefore = async (disputeId: string) =>
      (await timelineEntriesOf(trx, [{ disputeId, eventId: event.id }])).get(`${disputeId}/${event.id}`);

    let row = await lockRow();
    if (!row) {
      const opened = foldFacts(undefined, facts);
      const inserted = await trx
        .insertInto('disputes')
        .values(stateColumns(opened.state))
        .onConflict((oc) => oc.columns(['provider', 'provider_dispute_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return appendTimeline(trx, event, inserted.id, facts, opened);
      // Another worker created it meanwhile: the facts go on top of theirs, under the lock.
      row = (await lockRow())!;
    }
    const seen = await seenBefore(row.id);
    if (seen) return seen;
    const result = foldFacts(stateOf(row), facts);
    if (result.dirty) await trx.updateTable('disputes').set(stateColumns(result.state)).where('id', '=', row.id).execute();
    return appendTimeline(trx, event, row.id, facts, result);
  });
}

export interface EventFacts {
  event: RecordedEventRef;
  /** About one dispute, in the order they apply. */
  facts: DisputeFacts[];
}

const disputeKey = (provider: string, providerDisputeId: string) => `${provider}\u0000${providerDisputeId}`;
const keyOfFacts = (item: EventFacts) => disputeKey(item.facts[0]!.provider, item.facts[0]!.providerDisputeId);

/**
 * Many events' facts in one transaction, each event as recordFacts would record it alone. The
 * batch's existing disputes are locked by one statement in one order and new ones inserted in one
 * order, so two batches on the same disputes queue up (a deadlock PostgreSQL still breaks fails
 * the batch: its caller then records each event alone). New disputes go in with one insert,
 * timeline entries with another. Events about the same dispute fold in the order given. An event
 * whose new dispute another transaction created meanwhile gets `undefined`: the caller records
 * it alone, under the row lock.
 */
export async function recordManyFacts(trx: Transaction<Database>, items: readonly EventFacts[]): Promise<Array<RecordedEvent | undefined>> {
  if (items.some((item) => item.facts.length === 0)) throw new Error('no facts to record');
  const keys = [...new Map(items.map((item) => [keyOfFacts(item), item.facts[0]!])).values()];
  const rows = await trx
    .selectFrom('disputes')
    .selectAll()
    .where((eb) => eb(eb.refTuple('provider', 'provider_dispute_id'), 'in', keys.map((k) => eb.tuple(k.provider, k.providerDisputeId))))
    .orderBy('provider')
    .orderBy('provider_dispute_id')
    .forUpdate()
    .execute();
  const existing = new Map(rows.map((row) => [disputeKey(row.provider, row.provider_dispute_id), row]));
  const seenBefore = await timelineEntriesOf(trx, items.flatMap((item) => {
    const row = existing.get(keyOfFacts(item));
    return row ? [{ disputeId: row.id, eventId: item.event.id }] : [];
  }));

  // Fold every event onto its dispute's state, in order, as separate transactions would have.
  const states = new Map<string, { start?: DisputeState; state?: DisputeState }>();
  const firstOfEvent = new Map<string, number>();
  const folded = items.map((item, i) => {
    const key = keyOfFacts(item);
    const row = existing.get(key);
    const seen = row && seenBefore.get(`${row.id}/${item.event.id}`);
    if (seen) return { key, seen };
    // The same event twice in one batch (a redrive beside its first job) is recorded once.
    const sameAs = firstOfEvent.get(`${key}/${item.event.id}`);
    if (sameAs !== undefined) return { key, sameAs };
    firstOfEvent.set(`${key}/${item.event.id}`, i);
    // applyFact never mutates a state, so the start and the running state may begin as one object.
    const start = states.has(key) ? undefined : row && stateOf(row);
    const entry = states.get(key) ?? { start, state: start };
    const result = foldFacts(entry.state, item.facts);
    entry.state = result.state;
    states.set(key, entry);
    return { key, result };
  });

  const fresh = [...states].filter(([key]) => !existing.has(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const created = new Map<string, string>();
  if (fresh.length > 0) {
    const inserted = await trx
      .insertInto('disputes')
      .values(fresh.map(([, entry]) => stateColumns(entry.state!)))
      .onConflict((oc) => oc.columns(['provider', 'provider_dispute_id']).doNothing())
      .returning(['id', 'provider', 'provider_dispute_id'])
      .execute();
    for (const row of inserted) created.set(disputeKey(row.provider, row.provider_dispute_id), row.id);
  }
  for (const [key, entry] of states) {
    const row = existing.get(key);
    if (row && JSON.stringify(entry.start) !== JSON.stringify(entry.state)) {
      await trx.updateTable('disputes').set(stateColumns(entry.state!)).where('id', '=', row.id).execute();
    }
  }

  const recorded: Array<RecordedEvent | undefined> = [];
  for (const f of folded) {
    if ('seen' in f) recorded.push(f.seen);
    else if ('sameAs' in f) recorded.push(recorded[f.sameAs!]);
    else {
      const disputeId = existing.get(f.key)?.id ?? created.get(f.key);
      recorded.push(disputeId ? { disputeId, changes: f.result!.changes, applied: f.result!.applied, note: f.result!.note } : undefined);
    }
  }
  const entries = folded.flatMap((f, i) => {
    const done = recorded[i];
    return f.result && done ? [timelineRow(items[i]!.event, done.disputeId, items[i]!.facts, f.result)] : [];
  });
  if (entries.length > 0) await trx.insertInto('dispute_timeline').values(entries).execute();
  return recorded;
}

/** What earlier processings of these events recorded, by `disputeId/eventId`. */
async function timelineEntriesOf(trx: Transaction<Database>, pairs: Array<{ disputeId: string; eventId: string }>): Promise<Map<string, RecordedEvent>> {
  if (pairs.length === 0) return new Map();
  const rows = await trx
    .selectFrom('dispute_timeline')
    .select(['dispute_id', 'event_id', 'changes', 'applied', 'note'])
    .where((eb) => eb(eb.refTuple('dispute_id', 'event_id'), 'in', pairs.map((p) => eb.tuple(p.disputeId, p.eventId))))
    .execute();
  return new Map(
    rows.map((r) => [`${r.dispute_id}/${r.event_id}`, { disputeId: r.dispute_id, changes: r.changes as DisputeChangeKind[], applied: r.applied, note: r.note }]),
  );
}

async function appendTimeline(
  trx: Transaction<Database>,
  event: RecordedEventRef,
  disputeId: string,
  facts: DisputeFacts[],
  result: Omit<RecordedEvent, 'disputeId'>,
): Promise<RecordedEvent> {
  await trx.insertInto('dispute_timeline').values(timelineRow(event, disputeId, facts, result)).execute();
  return { disputeId, changes: result.changes, applied: result.applied, note: result.note };
}

function timelineRow(event: RecordedEventRef, disputeId: string, facts: DisputeFacts[], result: Omit<RecordedEvent, 'disputeId'>) {
  const last = facts.at(-1)!;
  return {
    dispute_id: disputeId,
    event_id: event.id,
    event_type: event.type,
    occurred_at: last.occurredAt,
    applied: result.applied,
    note: result.note,
    changes: JSON.stringify(result.changes),
    facts: JSON.stringify(timelineFacts(last)),
    source: event.source ?? 'webhook',
  };
}

function timelineFacts(facts: DisputeFacts): Record<string, unknown> {
  return {
    status: facts.status,
    providerStatus: facts.providerStatus,
    stage: facts.stage,
    reason: facts.reason,
    amount: facts.amount,
    dueBy: facts.dueBy,
    outcome: facts.outcome,
  };
}

export interface TimelineEntry {
  eventId: string;
  type: string;
  occurredAt: string;
  applied: boolean;
  note: string;
  changes: string[];
  facts: Record<string, unknown>;
  recordedAt: string;
  source: EventSource;
}

/** Every provider event of the dispute, applied or skipped, in the provider's order. */
export async function timelineOf(db: Db, disputeId: string): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('dispute_timeline')
    .selectAll()
    .where('dispute_id', '=', disputeId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    type: r.event_type,
    occurredAt: r.occurred_at.toISOString(),
    applied: r.applied,
    note: r.note,
    changes: r.changes,
    facts: r.facts,
    recordedAt: r.recorded_at.toISOString(),
    source: r.source,
  }));
}

/**
 * Our own acceptance, as a lifecycle fact of the dispute's current stage: the dispute is
 * `accepted` now, and stays so whatever the provider reports for that stage later (Stripe calls
 * a conceded dispute lost). Ordered after every fact seen so far. Idempotent.
 */
export async function recordConcession(db: Db, disputeId: string, at: Date): Promise<DisputeChangeKind[]> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('disputes').selectAll().where('id', '=', disputeId).forUpdate().executeTakeFirst();
    if (!row) return [];
    const state = stateOf(row);
    if (state.versions.lifecycle.some((f) => f.status === 'accepted' && f.stage === state.stage)) return [];
    const order = Math.max(0, ...state.versions.lifecycle.map((f) => f.order));
    const result = applyFact(state, {
      provider: state.provider,
      providerDisputeId: state.providerDisputeId,
      status: 'accepted',
      stage: state.stage,
      providerStatus: state.providerStatus,
      outcome: 'accepted',
      occurredAt: at.toISOString(),
      order,
      unknownValues: [],
    });
    await trx.updateTable('disputes').set(stateColumns(result.state)).where('id', '=', disputeId).execute();
    return result.changes;
  });
}
