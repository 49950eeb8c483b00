import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table events (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (provider in ('stripe', 'paypal', 'square')),
      provider_event_id text not null,
      type text not null,
      raw_body bytea not null,
      headers jsonb not null,
      received_at timestamptz not null default now(),
      status text not null default 'received'
        check (status in ('received', 'queued', 'processed', 'failed', 'ignored')),
      attempts integer not null default 0,
      last_error text,
      processed_at timestamptz,
      constraint events_provider_event_unique unique (provider, provider_event_id)
    )`.execute(db);
  await sql`create index events_status_received_at on events (status, received_at)`.execute(db);
  await sql`create index events_received_at on events (received_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table events`.execute(db);
}
