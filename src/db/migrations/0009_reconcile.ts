import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Where an event came from: a provider's webhook, our reconciliation against its dispute list,
  // or (on timeline entries) a staff redrive. The origin of an event row never changes; a redrive
  // is stamped beside it.
  await sql`
    alter table events
      add column source text not null default 'webhook' check (source in ('webhook', 'reconcile', 'redrive')),
      add column redriven_at timestamptz`.execute(db);
  await sql`
    alter table dispute_timeline
      add column source text not null default 'webhook' check (source in ('webhook', 'reconcile', 'redrive'))`.execute(db);

  // One row per provider: the watermark moves only when a whole run has committed.
  await sql`
    create table reconcile_state (
      provider text primary key check (provider in ('stripe', 'paypal', 'square')),
      watermark timestamptz,
      last_run_at timestamptz,
      last_error text,
      found integer not null default 0,
      found_total bigint not null default 0
    )`.execute(db);
  // "Webhooks from <provider> are not arriving" is said once per provider per day.
  await sql`
    create table reconcile_alerts (
      provider text not null,
      day date not null,
      event_id uuid not null references events (id),
      primary key (provider, day)
    )`.execute(db);

  // RETENTION_DAYS: when a closed dispute's personal data was erased (null: kept).
  await sql`alter table disputes add column personal_data_erased_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table disputes drop column personal_data_erased_at`.execute(db);
  await sql`drop table reconcile_alerts, reconcile_state`.execute(db);
  await sql`alter table dispute_timeline drop column source`.execute(db);
  await sql`alter table events drop column source, drop column redriven_at`.execute(db);
}
