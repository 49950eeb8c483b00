import type { ColumnType, Generated } from 'kysely';

/** Column types of every table, as Kysely sees them. One interface per table. */

/** A registered provider module's name: src/providers/index.ts lists them. */
export type Provider = string;

/** How an event reached us (CONTRACT.md "Reconciliation"); timeline entries say how they were processed. */
export type EventSource = 'webhook' | 'reconcile' | 'redrive';

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
  source: ColumnType<EventSource, EventSource | undefined, EventSource>;
  redriven_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Owned by src/disputes/repository.ts; other stages read it through that module. */
export interface DisputesTable {
  id: Generated<string>;
  provider: Provider;
  provider_dispute_id: string;
  provider_payment_id: string | null;
  order_id: string | null;
  amount_value: ColumnType<number | null, number | null | undefined, number | null>;
  amount_currency: string | null;
  reason: string;
  provider_reason: string | null;
  status: string;
  provider_status: string | null;
  stage: string;
  due_by: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  opened_at: ColumnType<Date, Date | string, Date | string>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  outcome: string | null;
  evidence_completeness: ColumnType<number, number | undefined, number>;
  evidence_missing: ColumnType<string[], string | undefined, string>;
  submitted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The ordering data of src/disputes/ordering.ts (Versions); parsed where it is read. */
  versions: ColumnType<unknown, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  personal_data_erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DisputeTimelineTable {
  id: Generated<string>;
  dispute_id: string;
  event_id: string;
  event_type: string;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  applied: boolean;
  note: string;
  changes: ColumnType<string[], string, string>;
  facts: ColumnType<Record<string, unknown>, string, string>;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
  source: ColumnType<EventSource, EventSource | undefined, EventSource>;
}

export interface SubmissionsTable {
  id: Generated<string>;
  dispute_id: string | null;
  /** Set for a refund of a warned charge (no dispute yet); exactly one of dispute_id and warning_id. */
  warning_id: ColumnType<string | null, string | null | undefined, never>;
  kind: 'submit' | 'accept' | 'offer' | 'message' | 'refund';
  /** What was asked (offer, message, refund amount): the worker sends exactly this. */
  request: ColumnType<Record<string, unknown>, string | undefined, never>;
  status: ColumnType<'queued' | 'sending' | 'sent' | 'failed', 'queued' | undefined, 'queued' | 'sending' | 'sent' | 'failed'>;
  requested_by: 'staff' | 'auto';
  attempts: ColumnType<number, number | undefined, number>;
  provider_answers: ColumnType<unknown[], string | undefined, string>;
  error: string | null;
  /** An evidence submission: the completeness of the packet it sent (insights by completeness). */
  completeness: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

type Json<T> = ColumnType<T, string, string>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OrdersTable {
  order_id: string;
  data: Json<Record<string, unknown>>;
  customer_email: string | null;
  updated_at: UpdatedAt;
  /** Migration 0013: pushed ('api', 'import') or pulled ('shopify', 'woocommerce'). */
  source: ColumnType<string, string | undefined, string>;
  match: 'payment_id' | 'email_amount' | null;
  origins: ColumnType<unknown, string | undefined, string>;
}

export interface OrderPaymentsTable {
  payment_id: string;
  order_id: string;
}

export interface ShipmentsTable {
  order_id: string;
  shipment_id: string;
  data: Json<Record<string, unknown>>;
  updated_at: UpdatedAt;
  /** Migration 0013 */
  source: ColumnType<string, string | undefined, string>;
  origins: ColumnType<unknown, string | undefined, string>;
  tracking: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface MessagesTable {
  order_id: string;
  message_id: string;
  data: Json<Record<string, unknown>>;
  at: ColumnType<Date, Date | string, Date | string>;
  updated_at: UpdatedAt;
}

export interface PoliciesTable {
  id: ColumnType<number, number | undefined, number>;
  data: Json<Record<string, unknown>>;
  updated_at: UpdatedAt;
}

export interface PacketsTable {
  id: Generated<string>;
  dispute_id: string;
  hash: string;
  packet: Json<Record<string, unknown>>;
  /** Generated by PostgreSQL from packet.completeness (0010): read-only. */
  completeness: ColumnType<number | null, never, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface AlertsTable {
  id: Generated<string>;
  dispute_id: string;
  kind: string;
  due_by: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface AlertDeliveriesTable {
  alert_id: string;
  /** A registered alert channel's name: src/alerts/channels/index.ts lists them. */
  channel: string;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | undefined, 'pending' | 'sent' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The threshold jobs a dispute has in the alerts queue (0015). */
export interface AlertSchedulesTable {
  dispute_id: string;
  job_ids: string[];
}

export interface ReconcileStateTable {
  provider: Provider;
  watermark: Date | null;
  last_run_at: Date | null;
  last_error: string | null;
  found: ColumnType<number, number | undefined, number>;
  found_total: ColumnType<string, number | undefined, number | string>;
}

export interface ReconcileAlertsTable {
  provider: Provider;
  day: ColumnType<Date | string, string, string>;
  event_id: string;
}

export interface SourcePullsTable {
  id: Generated<string>;
  source: string;
  dispute_id: string;
  trigger: string;
  at: ColumnType<Date, Date | string | undefined, never>;
  status: 'ok' | 'error';
  records: number;
  changed: number;
  query: Json<unknown>;
  error: string | null;
}

export interface SourceSyncsTable {
  id: Generated<string>;
  source: string;
  status: ColumnType<'queued' | 'done' | 'failed', 'queued' | undefined, 'queued' | 'done' | 'failed'>;
  disputes: number | null;
  error: string | null;
  requested_at: ColumnType<Date, Date | string | undefined, never>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SourceActionsTable {
  source: string;
  dispute_id: string;
  action: 'note' | 'ack';
  status: 'claimed' | 'done' | 'failed' | 'skipped';
  attempts: ColumnType<number, number | undefined, number>;
  ticket_id: string | null;
  url: string | null;
  error: string | null;
  updated_at: UpdatedAt;
}

export interface SourceAlertsTable {
  source: string;
  day: string;
  error: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface WarningsTable {
  id: Generated<string>;
  provider: Provider;
  provider_warning_id: string;
  provider_payment_id: string;
  amount_value: ColumnType<number | null, number | null | undefined, number | null>;
  amount_currency: string | null;
  reason: string;
  actionable: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | string, Date | string>;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface RecommendationsTable {
  dispute_id: string;
  data: Json<Record<string, unknown>>;
  computed_at: UpdatedAt;
}

export interface Database {
  events: EventsTable;
  disputes: DisputesTable;
  dispute_timeline: DisputeTimelineTable;
  submissions: SubmissionsTable;
  orders: OrdersTable;
  order_payments: OrderPaymentsTable;
  shipments: ShipmentsTable;
  messages: MessagesTable;
  policies: PoliciesTable;
  packets: PacketsTable;
  alerts: AlertsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_schedules: AlertSchedulesTable;
  reconcile_state: ReconcileStateTable;
  reconcile_alerts: ReconcileAlertsTable;
  source_pulls: SourcePullsTable;
  source_syncs: SourceSyncsTable;
  source_actions: SourceActionsTable;
  source_alerts: SourceAlertsTable;
  warnings: WarningsTable;
  recommendations: RecommendationsTable;
}
