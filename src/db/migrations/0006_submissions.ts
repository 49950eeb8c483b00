import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table submissions (
      id uuid primary key default gen_random_uuid(),
      dispute_id uuid not null references disputes (id),
      kind text not null check (kind in ('submit', 'accept')),
      status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
      requested_by text not null check (requested_by in ('staff', 'auto')),
      attempts integer not null default 0,
      provider_answers jsonb not null default '[]',
      error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      sent_at timestamptz
    )`.execute(db);
  // One live submission per dispute: a response goes to the provider once. A failed one may be retried by a new one.
  await sql`create unique index submissions_one_live_per_dispute on submissions (dispute_id) where status <> 'failed'`.execute(db);
  await sql`create index submissions_dispute on submissions (dispute_id, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table submissions`.execute(db);
}
