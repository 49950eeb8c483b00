import { type Kysely, sql } from 'kysely';

/** For GET /api/insights over 100k disputes: set-based joins read from indexes (bench/insights.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The range filter, with or without a provider.
  await sql`create index disputes_opened_at on disputes (opened_at)`.execute(db);
  await sql`create index disputes_provider_opened_at on disputes (provider, opened_at)`.execute(db);
  // The sent response of each dispute, ordered by dispute for the merge join with packets.
  await sql`create index submissions_sent_by_dispute on submissions (dispute_id) include (kind, sent_at) where status = 'sent'`.execute(db);
  // Completeness at submission without de-TOASTing whole packets: a column PostgreSQL derives from
  // the packet itself (never written by us, so never stale), read from the index alone.
  await sql`alter table packets add column completeness real generated always as ((packet ->> 'completeness')::real) stored`.execute(db);
  await sql`create index packets_completeness_by_time on packets (dispute_id, created_at desc) include (completeness)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index packets_completeness_by_time`.execute(db);
  await sql`alter table packets drop column completeness`.execute(db);
  await sql`drop index submissions_sent_by_dispute`.execute(db);
  await sql`drop index disputes_provider_opened_at`.execute(db);
  await sql`drop index disputes_opened_at`.execute(db);
}
