import type { Db } from '../db/pool';
import type { ChannelName } from './channels/types';

/** Records the alert and a pending delivery per channel, unless it exists: then undefined (never sent twice). */
export async function createAlert(
  db: Db,
  alert: { disputeId: string; kind: string; dueBy: string | null; channels: ChannelName[] },
): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('alerts')
      .values({ dispute_id: alert.disputeId, kind: alert.kind, due_by: alert.dueBy })
      .onConflict((oc) => oc.columns(['dispute_id', 'kind', 'due_by']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return undefined;
    if (alert.channels.length) {
      await trx.insertInto('alert_deliveries').values(alert.channels.map((channel) => ({ alert_id: row.id, channel }))).execute();
    }
    return row.id;
  });
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
