import { type Kysely, sql } from 'kysely';

/**
 * Resolution: offers, buyer messages and refunds ride the submissions machinery; Stripe early
 * fraud warnings are kept; each open dispute has its stored recommendation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table warnings (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (provider in ('stripe', 'paypal', 'square')),
      provider_warning_id text not null,
      provider_payment_id text not null,
      amount_value bigint,
      amount_currency text,
      reason text not null,
      actionable boolean not null default true,
      created_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      constraint warnings_once unique (provider, provider_warning_id)
    )`.execute(db);
  await sql`create index warnings_payment on warnings (provider, provider_payment_id)`.execute(db);

  await sql`alter table submissions drop constraint submissions_kind_check`.execute(db);
  await sql`alter table submissions add constraint submissions_kind_check check (kind in ('submit', 'accept', 'offer', 'message', 'refund'))`.execute(db);
  // What was asked (offer type and amount, the message, the refund amount): the worker sends exactly this.
  await sql`alter table submissions add column request jsonb not null default '{}'`.execute(db);
  await sql`alter table submissions alter column dispute_id drop not null`.execute(db);
  await sql`alter table submissions add column warning_id uuid references warnings (id)`.execute(db);
  await sql`alter table submissions add constraint submissions_one_subject check ((dispute_id is null) <> (warning_id is null))`.execute(db);
  // One action in flight per dispute; one final response (evidence or acceptance) ever. A sent
  // offer or message does not close the door on the evidence that may follow it.
  await sql`drop index submissions_one_live_per_dispute`.execute(db);
  await sql`create unique index submissions_one_in_flight_per_dispute on submissions (dispute_id) where status in ('queued', 'sending')`.execute(db);
  await sql`create unique index submissions_one_response_per_dispute on submissions (dispute_id) where status = 'sent' and kind in ('submit', 'accept')`.execute(db);
  await sql`create unique index submissions_one_live_per_warning on submissions (warning_id) where status <> 'failed'`.execute(db);
  await sql`create index submissions_warning on submissions (warning_id, created_at)`.execute(db);

  await sql`
    create table recommendations (
      dispute_id uuid primary key references disputes (id),
      data jsonb not null,
      computed_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table recommendations`.execute(db);
  await sql`drop index submissions_one_live_per_warning`.execute(db);
  await sql`drop index submissions_one_response_per_dispute`.execute(db);
  await sql`drop index submissions_one_in_flight_per_dispute`.execute(db);
  await sql`create unique index submissions_one_live_per_dispute on submissions (dispute_id) where status <> 'failed'`.execute(db);
  await sql`alter table submissions drop constraint submissions_one_subject`.execute(db);
  await sql`alter table submissions drop column warning_id`.execute(db);
  await sql`alter table submissions alter column dispute_id set not null`.execute(db);
  await sql`alter table submissions drop column request`.execute(db);
  await sql`alter table submissions drop constraint submissions_kind_check`.execute(db);
  await sql`alter table submissions add constraint submissions_kind_check check (kind in ('submit', 'accept'))`.execute(db);
  await sql`drop table warnings`.execute(db);
}
