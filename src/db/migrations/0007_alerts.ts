import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One alert per (dispute, kind, deadline), one delivery per (alert, channel): restarts and
  // duplicate jobs find the row and send nothing twice.
  await sql`
    create table alerts (
      id uuid primary key default gen_random_uuid(),
      dispute_id uuid not null references disputes (id),
      kind text not null,
      due_by timestamptz,
      created_at timestamptz not null default now(),
      constraint alerts_once unique nulls not distinct (dispute_id, kind, due_by)
    )`.execute(db);
  await sql`
    create table alert_deliveries (
      alert_id uuid not null references alerts (id),
      channel text not null check (channel in ('email', 'slack', 'webhook')),
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      last_error text,
      delivered_at timestamptz,
      primary key (alert_id, channel)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table alert_deliveries, alerts`.execute(db);
}
