import type { ColumnType, Generated } from 'kysely';

/** Column types of every table, as Kysely sees them. One interface per table. */

export type Provider = 'stripe' | 'paypal' | 'square';
export const PROVIDERS: readonly Provider[] = ['stripe', 'paypal', 'square'];

export type EventStatus = 'received' | 'queued' | 'processed' | 'failed' | 'ignored';
export const EVENT_STATUSES: readonly EventStatus[] = ['received', 'queued', 'processed', 'failed', 'ignored'];


export interface EventsTable {
  id: Generated<string>;
  provider: Provider;
  provider_event_id: string;
  type: string;
  raw_body: Buffer;
  headers: ColumnType<Record<string, string>, string, string>;
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  status: Generated<EventStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  processed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface Database {
  events: EventsTable;
}
