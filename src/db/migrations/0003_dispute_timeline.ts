import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table dispute_timeline (
      id bigserial primary key,
      dispute_id uuid not null references disputes (id),
      event_id uuid not null references events (id),
      event_type text not null,
      occurred_at timestamptz not null,
      applied boolean not null,
      note text not null,
      changes jsonb not null,
      facts jsonb not null,
      recorded_at timestamptz not null default now(),
      constraint dispute_timeline_event_unique unique (dispute_id, event_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table dispute_timeline`.execute(db);
}
