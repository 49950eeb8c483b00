import { type Kysely, sql } from 'kysely';

/**
 * Raw bodies of 2 kB and more are compressed as they are stored. With PostgreSQL's default (pglz)
 * that took about as much of its time per stored webhook as all the rest (the bench's durable
 * baseline: 36 µs a row, 17 µs with lz4). A server built without lz4 keeps pglz.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ lz4: boolean }>`
    select 'lz4' = any (enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
  if (rows[0]?.lz4) await sql`alter table events alter column raw_body set compression lz4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table events alter column raw_body set compression default`.execute(db);
}
