import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table orders (
      order_id text primary key,
      data jsonb not null,
      customer_email text,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index orders_customer_email on orders (lower(customer_email))`.execute(db);
  await sql`
    create table order_payments (
      payment_id text primary key,
      order_id text not null references orders (order_id) on delete cascade
    )`.execute(db);
  await sql`create index order_payments_order on order_payments (order_id)`.execute(db);
  await sql`
    create table shipments (
      order_id text not null references orders (order_id) on delete cascade,
      shipment_id text not null,
      data jsonb not null,
      updated_at timestamptz not null default now(),
      primary key (order_id, shipment_id)
    )`.execute(db);
  await sql`
    create table messages (
      order_id text not null references orders (order_id) on delete cascade,
      message_id text not null,
      data jsonb not null,
      at timestamptz not null,
      updated_at timestamptz not null default now(),
      primary key (order_id, message_id)
    )`.execute(db);
  await sql`
    create table policies (
      id integer primary key default 1 check (id = 1),
      data jsonb not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table policies, messages, shipments, order_payments, orders`.execute(db);
}
