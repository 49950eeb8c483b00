import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Packets are immutable: a changed packet is a new row, found again by its content hash.
  await sql`
    create table packets (
      id uuid primary key default gen_random_uuid(),
      dispute_id uuid not null references disputes (id),
      hash text not null,
      packet jsonb not null,
      created_at timestamptz not null default now(),
      constraint packets_dispute_hash unique (dispute_id, hash)
    )`.execute(db);
  await sql`create index packets_latest on packets (dispute_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table packets`.execute(db);
}
