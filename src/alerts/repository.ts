import type { Db } from '../db/pool';
import type { ChannelName } from './channels/types';

/**
 * Records the alert and a pending delivery per channel. The unique (dispute, kind, deadline) makes
 * a second raise find the first: isNew false, nothing recorded, nothing to send twice.
 */
export async function createAlert(
  db: Db,
  alert: { disputeId: string; kind: string; dueBy: string | null; channels: ChannelName[] },
): Promise<{ id: string; isNew: boolean }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('alerts')
      .values({ dispute_id: alert.disputeId, kind: alert.kind, due_by: alert.dueBy })
      .onConflict((oc) => oc.columns(['dispute_id', 'kind', 'due_by']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      const existing = await trx
        .selectFrom('alerts')
        .select('id')
        .where('dispute_id', '=', alert.disputeId)
        .where('kind', '=', alert.kind)
        .where((eb) => (alert.dueBy === null ? eb('due_by', 'is', null) : eb('due_by', '=', new Date(alert.dueBy))))
        .executeTakeFirstOrThrow();
      return { id: existing.id, isNew: false };
    }
    if (alert.channels.length) {
      await trx.insertInto('alert_deliveries').values(alert.channels.map((channel) => ({ alert_id: row.id, channel }))).execute();
    }
    return { id: row.id, isNew: true };
  });
}

/** The channels on which this alert is still to be delivered. */
export async function pendingChannels(db: Db, alertId: string): Promise<ChannelName[]> {
  const rows = await db.selectFrom('alert_deliveries').select('channel').where('alert_id', '=', alertId).where('status', '=', 'pending').execute();
  return rows.map((r) => r.channel);
}

/** Disputes that may still want deadline alerts: open, unanswered, deadline ahead. */
export async function openDisputeIds(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('disputes')
    .select('id')
    .where('status', '=', 'needs_response')
    .where('submitted_at', 'is', null)
    .where('due_by', '>', now)
    .execute();
  return rows.map((r) => r.id);
}

export async function deliveryOf(db: Db, alertId: string, channel: ChannelName) {
  return db
    .selectFrom('alert_deliveries')
    .innerJoin('alerts', 'alerts.id', 'alert_deliveries.alert_id')
    .select(['alert_deliveries.status', 'alerts.dispute_id', 'alerts.kind'])
    .where('alert_id', '=', alertId)
    .where('channel', '=', channel)
    .executeTakeFirst();
}

export async function recordDelivery(db: Db, alertId: string, channel: ChannelName, outcome: { status: 'sent' | 'pending' | 'failed'; error?: string }) {
  await db
    .updateTable('alert_deliveries')
    .set((eb) => ({
      status: outcome.status,
      attempts: eb('attempts', '+', 1),
      last_error: outcome.error ?? null,
      delivered_at: outcome.status === 'sent' ? new Date() : null,
    }))
    .where('alert_id', '=', alertId)
    .where('channel', '=', channel)
    .execute();
}

export interface AlertView {
  id: string;
  kind: string;
  dueBy: string | null;
  createdAt: string;
  deliveries: Array<{ channel: ChannelName; status: string; attempts: number; lastError: string | null; deliveredAt: string | null }>;
}

/** A dispute's alerts and, for each, its delivery on every channel. */
export async function listAlerts(db: Db, disputeId: string): Promise<AlertView[]> {
  const rows = await db
    .selectFrom('alerts')
    .leftJoin('alert_deliveries', 'alert_deliveries.alert_id', 'alerts.id')
    .select(['alerts.id', 'alerts.kind', 'alerts.due_by', 'alerts.created_at', 'alert_deliveries.channel', 'alert_deliveries.status', 'alert_deliveries.attempts', 'alert_deliveries.last_error', 'alert_deliveries.delivered_at'])
    .where('alerts.dispute_id', '=', disputeId)
    .orderBy('alerts.created_at')
    .orderBy('alert_deliveries.channel')
    .execute();
  const alerts = new Map<string, AlertView>();
  for (const r of rows) {
    const alert = alerts.get(r.id) ?? { id: r.id, kind: r.kind, dueBy: r.due_by?.toISOString() ?? null, createdAt: r.created_at.toISOString(), deliveries: [] };
    alerts.set(r.id, alert);
    if (r.channel) {
      alert.deliveries.push({ channel: r.channel, status: r.status!, attempts: r.attempts!, lastError: r.last_error, deliveredAt: r.delivered_at?.toISOString() ?? null });
    }
  }
  return [...alerts.values()];
}

/** The ids of the threshold jobs last scheduled for the dispute (none recorded: none). */
export async function scheduledThresholdJobs(db: Db, disputeId: string): Promise<string[]> {
  const row = await db.selectFrom('alert_schedules').select('job_ids').where('dispute_id', '=', disputeId).executeTakeFirst();
  return row?.job_ids ?? [];
}

export async function recordScheduledThresholdJobs(db: Db, disputeId: string, jobIds: string[]): Promise<void> {
  await db
    .insertInto('alert_schedules')
    .values({ dispute_id: disputeId, job_ids: jobIds })
    .onConflict((oc) => oc.column('dispute_id').doUpdateSet({ job_ids: jobIds }))
    .execute();
}
