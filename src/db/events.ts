import { sql } from 'kysely';
import { isUuid } from './ids';
import { poolOf, type Db } from './pool';
import type { EventSource, EventStatus, Provider } from './schema';

/** The events table: every verified provider delivery, raw bytes kept. */

export interface NewEvent {
  provider: Provider;
  providerEventId: string;
  type: string;
  rawBody: Buffer;
  headers: Record<string, string>;
  /** Default webhook; reconciliation stores what a provider's dispute list showed as 'reconcile'. */
  source?: Extract<EventSource, 'webhook' | 'reconcile'>;
}

export interface EventSummary {
  id: string;
  provider: Provider;
  providerEventId: string;
  type: string;
  receivedAt: string;
  status: EventStatus;
  attempts: number;
  lastError: string | null;
  source: EventSource;
}

export interface StoredEvent extends EventSummary {
  rawBody: Buffer;
  /** Set once staff re-drove it: the processing it leads to is recorded as a redrive. */
  redrivenAt: string | null;
}

const INSERT_EVENT = {
  name: 'insert_event',
  text: `insert into events (provider, provider_event_id, type, raw_body, headers, source)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (provider, provider_event_id) do nothing
         returning id`,
};

/**
 * Inserts the event unless the provider already sent it; tells which happened. The unique key
 * decides, not a read before the write. A prepared statement: it runs once per webhook delivery,
 * and PostgreSQL then skips parsing and planning it (≈1.5× the inserts per CPU second here).
 */
export async function insertEvent(db: Db, event: NewEvent): Promise<{ id: string; duplicate: boolean }> {
  const inserted = await poolOf(db).query<{ id: string }>({
    ...INSERT_EVENT,
    values: [event.provider, event.providerEventId, event.type, event.rawBody, JSON.stringify(event.headers), event.source ?? 'webhook'],
  });
  const id = inserted.rows[0]?.id;
  if (id) return { id, duplicate: false };
  const first = await db
    .selectFrom('events')
    .select('id')
    .where('provider', '=', event.provider)
    .where('provider_event_id', '=', event.providerEventId)
    .executeTakeFirstOrThrow();
  return { id: first.id, duplicate: true };
}

export interface InsertedEvent {
  id: string;
  duplicate: boolean;
}

/**
 * The channel on which each new webhook event's id is announced (pg_notify). PostgreSQL delivers
 * a notification only once its transaction commits, and drops it with a rolled-back savepoint:
 * an id heard there is a committed event. The relay (src/queue/relay.ts) listens.
 */
export const EVENTS_COMMITTED = 'events_committed';

const INSERT_EVENTS = {
  name: 'insert_events',
  text: `with inserted as (
           insert into events (provider, provider_event_id, type, raw_body, headers)
           select provider, provider_event_id, type, substring($4::bytea from body_start for body_length), headers
           from unnest($1::text[], $2::text[], $3::text[], $5::int[], $6::int[], $7::jsonb[])
             as row (provider, provider_event_id, type, body_start, body_length, headers)
           on conflict (provider, provider_event_id) do nothing
           returning id, provider, provider_event_id)
         select id, provider, provider_event_id, pg_notify('${EVENTS_COMMITTED}', id::text) as announced from inserted`,
};

const FIND_EVENT_IDS = {
  name: 'find_event_ids',
  text: `select e.id, e.provider, e.provider_event_id
         from events e
         join unnest($1::text[], $2::text[]) as k (provider, provider_event_id) using (provider, provider_event_id)`,
};

type KeyedRow = { id: string; provider: string; provider_event_id: string };
const keyOf = (provider: string, providerEventId: string) => `${provider}:${providerEventId}`;

/**
 * PostgreSQL refuses the values of this row (SQLSTATE class 22 data exception, 23 constraint):
 * the row is bad, not the database, so its batch-mates may still go in.
 */
export function isRowRefused(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * Many deliveries, one statement and one commit: inserts each event unless the provider already
 * sent it, and tells which happened, in the order given. A repeat inside the batch gets the id of
 * its first occurrence. When PostgreSQL refuses one row's values, the batch is retried in one
 * transaction with a savepoint per row, so only that row fails (its outcome is the error).
 * Anything else (PostgreSQL down, connection lost) throws and nothing of the batch is stored.
 * Each new event's id is announced on EVENTS_COMMITTED as it commits.
 */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<Array<InsertedEvent | Error>> {
  const firstOf = new Map<string, NewEvent>();
  for (const event of events) {
    const key = keyOf(event.provider, event.providerEventId);
    if (!firstOf.has(key)) firstOf.set(key, event);
  }
  const distinct = [...firstOf.values()];
  let inserted: Map<string, string>;
  let refused = new Map<string, Error>();
  try {
    inserted = await insertAll(db, distinct);
  } catch (err) {
    if (!isRowRefused(err)) throw err;
    ({ inserted, refused } = await insertOneByOne(db, distinct));
  }
  const existing = distinct.filter((e) => {
    const key = keyOf(e.provider, e.providerEventId);
    return !inserted.has(key) && !refused.has(key);
  });
  const earlier = existing.length === 0 ? new Map<string, string>() : await findIds(db, existing);

  const answered = new Set<string>();
  return events.map((event) => {
    const key = keyOf(event.provider, event.providerEventId);
    const failure = refused.get(key);
    if (failure) return failure;
    const newId = inserted.get(key);
    const id = newId ?? earlier.get(key);
    if (!id) return new Error(`event ${event.providerEventId} was neither inserted nor found`);
    const duplicate = newId === undefined || answered.has(key);
    answered.add(key);
    return { id, duplicate };
  });
}

/**
 * Raw bodies as one binary parameter, with where each starts (1-based) and its length, for
 * PostgreSQL to cut apart with `substring(… from … for …)`. An array of bytea would travel as hex
 * text: twice the bytes, encoded here and decoded there.
 */
export function packBodies(bodies: readonly Buffer[]): [Buffer, number[], number[]] {
  const starts: number[] = [];
  let next = 1;
  for (const body of bodies) {
    starts.push(next);
    next += body.length;
  }
  return [Buffer.concat(bodies), starts, bodies.map((b) => b.length)];
}

function columns(events: readonly NewEvent[]): unknown[] {
  return [
    events.map((e) => e.provider),
    events.map((e) => e.providerEventId),
    events.map((e) => e.type),
    ...packBodies(events.map((e) => e.rawBody)),
    events.map((e) => JSON.stringify(e.headers)),
  ];
}

const byKey = (rows: KeyedRow[]) => new Map(rows.map((r) => [keyOf(r.provider, r.provider_event_id), r.id]));

async function insertAll(db: Db, events: readonly NewEvent[]): Promise<Map<string, string>> {
  const result = await poolOf(db).query<KeyedRow>({ ...INSERT_EVENTS, values: columns(events) });
  return byKey(result.rows);
}

async function insertOneByOne(db: Db, events: readonly NewEvent[]): Promise<{ inserted: Map<string, string>; refused: Map<string, Error> }> {
  const inserted = new Map<string, string>();
  const refused = new Map<string, Error>();
  const client = await poolOf(db).connect();
  let broken: unknown;
  try {
    await client.query('begin');
    for (const event of events) {
      const key = keyOf(event.provider, event.providerEventId);
      await client.query('savepoint row');
      try {
        const result = await client.query<KeyedRow>({ ...INSERT_EVENTS, values: columns([event]) });
        const id = result.rows[0]?.id;
        if (id) inserted.set(key, id);
      } catch (err) {
        if (!isRowRefused(err)) throw err;
        await client.query('rollback to savepoint row');
        refused.set(key, err as Error);
      }
    }
    await client.query('commit');
    return { inserted, refused };
  } catch (err) {
    broken = err;
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    // A client that failed mid-transaction is not given back to the pool.
    client.release(broken === undefined ? undefined : broken instanceof Error ? broken : true);
  }
}

async function findIds(db: Db, events: readonly NewEvent[]): Promise<Map<string, string>> {
  const result = await poolOf(db).query<KeyedRow>({
    ...FIND_EVENT_IDS,
    values: [events.map((e) => e.provider), events.map((e) => e.providerEventId)],
  });
  return byKey(result.rows);
}

const summaryColumns = [
  'id',
  'provider',
  'provider_event_id',
  'type',
  'received_at',
  'status',
  'attempts',
  'last_error',
  'source',
] as const;

type SummaryRow = {
  id: string;
  provider: Provider;
  provider_event_id: string;
  type: string;
  received_at: Date;
  status: EventStatus;
  attempts: number;
  last_error: string | null;
  source: EventSource;
};

function toSummary(row: SummaryRow): EventSummary {
  return {
    id: row.id,
    provider: row.provider,
    providerEventId: row.provider_event_id,
    type: row.type,
    receivedAt: row.received_at.toISOString(),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    source: row.source,
  };
}

export async function listEvents(
  db: Db,
  filter: { provider?: Provider; status?: EventStatus; limit: number },
): Promise<EventSummary[]> {
  let query = db.selectFrom('events').select(summaryColumns);
  if (filter.provider) query = query.where('provider', '=', filter.provider);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('received_at', 'desc').orderBy('id').limit(filter.limit).execute();
  return rows.map(toSummary);
}

export async function findEvent(db: Db, id: string): Promise<StoredEvent | undefined> {
  return (await findEvents(db, [id])).get(id);
}

/** The stored events of these ids, by id; an id not stored is absent. */
export async function findEvents(db: Db, ids: readonly string[]): Promise<Map<string, StoredEvent>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Map();
  const rows = await db
    .selectFrom('events')
    .select([...summaryColumns, 'raw_body', 'redriven_at'])
    .where('id', 'in', valid)
    .execute();
  return new Map(rows.map((row) => [row.id, { ...toSummary(row), rawBody: row.raw_body, redrivenAt: row.redriven_at?.toISOString() ?? null }]));
}

/** Marks events queued unless a worker already moved them on. */
export async function markQueued(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('events').set({ status: 'queued' }).where('id', 'in', ids).where('status', '=', 'received').execute();
}

/** Redrive: whatever the event's state, it goes back in the queue. */
export async function markRequeued(db: Db, id: string): Promise<void> {
  await db.updateTable('events').set({ status: 'queued', redriven_at: new Date() }).where('id', '=', id).execute();
}

/**
 * Stored but maybe not in the queue: never handed to it (no relay listened, or Redis was down when
 * they arrived), or handed to a Redis that has since lost its data (restarted without persistence).
 * Adding a job that exists is a no-op, so a 'queued' event still waiting in Redis is left as it is.
 * Without `queuedToo`, only events never handed to the queue: marking them 'queued' moves a
 * caller working through them in chunks on to the next.
 */
export async function findUnqueued(db: Db, filter: { olderThanMs: number; limit: number; queuedToo: boolean }): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('id')
    .where('status', 'in', filter.queuedToo ? ['received', 'queued'] : ['received'])
    .where(sql<boolean>`received_at < now() - make_interval(secs => ${filter.olderThanMs / 1000})`)
    .orderBy('received_at')
    .limit(filter.limit)
    .execute();
  return rows.map((r) => r.id);
}

export type AttemptOutcome = { status: Extract<EventStatus, 'processed' | 'failed' | 'ignored' | 'queued'>; error?: string };

export async function recordAttempt(db: Db, id: string, outcome: AttemptOutcome): Promise<void> {
  await recordAttempts(db, [{ id, ...outcome }]);
}

/** One processing attempt more on each event, and where it left the event; one statement for all. */
export async function recordAttempts(db: Db, attempts: ReadonlyArray<AttemptOutcome & { id: string }>): Promise<void> {
  if (attempts.length === 0) return;
  await sql`
    update events set
      status = attempt.status,
      attempts = events.attempts + 1,
      last_error = attempt.error,
      processed_at = case when attempt.status = 'queued' then null else now() end
    from unnest(${attempts.map((a) => a.id)}::uuid[], ${attempts.map((a) => a.status)}::text[], ${attempts.map((a) => a.error ?? null)}::text[])
      as attempt(id, status, error)
    where events.id = attempt.id`.execute(db);
}
