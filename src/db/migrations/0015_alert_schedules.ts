import { type Kysely, sql } from 'kysely';

/**
 * The deadline-alert jobs each dispute has in Redis, by job id, so a new deadline or an answer
 * removes exactly those instead of listing every pending alert job of every dispute.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table alert_schedules (
      dispute_id uuid primary key references disputes (id) on delete cascade,
      job_ids text[] not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table alert_schedules`.execute(db);
}
