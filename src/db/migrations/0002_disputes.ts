import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table disputes (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (provider in ('stripe', 'paypal', 'square')),
      provider_dispute_id text not null,
      provider_payment_id text,
      order_id text,
      amount_value bigint,
      amount_currency text,
      reason text not null,
      provider_reason text,
      status text not null
        check (status in ('needs_response', 'under_review', 'won', 'lost', 'accepted', 'closed')),
      provider_status text,
      stage text not null check (stage in ('inquiry', 'chargeback', 'pre_arbitration', 'arbitration')),
      due_by timestamptz,
      opened_at timestamptz not null,
      updated_at timestamptz not null,
      closed_at timestamptz,
      outcome text check (outcome in ('won', 'lost', 'accepted')),
      evidence_completeness real not null default 0,
      evidence_missing jsonb not null default '[]',
      submitted_at timestamptz,
      versions jsonb not null default '{}',
      created_at timestamptz not null default now(),
      constraint disputes_provider_dispute_unique unique (provider, provider_dispute_id)
    )`.execute(db);
  await sql`create index disputes_due_by on disputes (due_by asc nulls last)`.execute(db);
  await sql`create index disputes_provider_payment on disputes (provider_payment_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table disputes`.execute(db);
}
