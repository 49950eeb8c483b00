import { type Kysely, sql } from 'kysely';

/**
 * Where each order and shipment came from (pushed by the merchant, or pulled from a store or a
 * tracker), how a pulled order was tied to its dispute, and the aggregator's handle on a parcel.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table orders
      add column source text not null default 'api' check (source in ('shopify', 'woocommerce', 'api', 'import')),
      add column match text check (match in ('payment_id', 'email_amount')),
      add column origins jsonb not null default '[]'`.execute(db);
  await sql`
    alter table shipments
      add column source text not null default 'api' check (source in ('shopify', 'woocommerce', 'aftership', 'easypost', 'api', 'import')),
      add column origins jsonb not null default '[]',
      add column tracking jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table shipments drop column tracking, drop column origins, drop column source`.execute(db);
  await sql`alter table orders drop column origins, drop column match, drop column source`.execute(db);
}
