import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per pull of one source for one dispute: when, how many records came in, ok or why not.
  await sql`
    create table source_pulls (
      id uuid primary key default gen_random_uuid(),
      source text not null,
      dispute_id uuid not null references disputes (id) on delete cascade,
      trigger text not null,
      at timestamptz not null default now(),
      status text not null check (status in ('ok', 'error')),
      records integer not null default 0 check (records >= 0),
      changed integer not null default 0 check (changed >= 0),
      query jsonb not null default '[]',
      error text
    )`.execute(db);
  await sql`create index source_pulls_source_at on source_pulls (source, at desc)`.execute(db);
  await sql`create index source_pulls_dispute_at on source_pulls (dispute_id, source, at desc)`.execute(db);
  // POST /api/sources/:name/sync and `rebuttal sync`: one row per request, its fan-out recorded.
  await sql`
    create table source_syncs (
      id uuid primary key default gen_random_uuid(),
      source text not null,
      status text not null default 'queued' check (status in ('queued', 'done', 'failed')),
      disputes integer,
      error text,
      requested_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  // What we send into a source (the helpdesk note, the acknowledgment): the row is claimed before the
  // call, so duplicate events, retries and two workers make one call per (source, dispute, action).
  await sql`
    create table source_actions (
      source text not null,
      dispute_id uuid not null references disputes (id) on delete cascade,
      action text not null check (action in ('note', 'ack')),
      status text not null check (status in ('claimed', 'done', 'failed', 'skipped')),
      attempts integer not null default 1,
      ticket_id text,
      url text,
      error text,
      updated_at timestamptz not null default now(),
      primary key (source, dispute_id, action)
    )`.execute(db);
  // One staff alert per source per day for a refused credential.
  await sql`
    create table source_alerts (
      source text not null,
      day date not null,
      error text not null,
      created_at timestamptz not null default now(),
      primary key (source, day)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table source_alerts, source_actions, source_syncs, source_pulls`.execute(db);
}
