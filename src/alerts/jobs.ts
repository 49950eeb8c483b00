import type { Job, Queue } from 'bullmq';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db/pool';
import type { Dispute } from '../disputes/model';
import { findDispute } from '../disputes/repository';
import type { Logger } from '../log';
import { maskCardNumbers } from '../log';
import { DisputeChange } from '../queue/names';
import { isPermanent, PermanentFailure } from '../errors';
import { isLastAttempt } from '../queue/policies';
import { addJobs } from '../queue/add-jobs';
import { latestPacket } from '../evidence/packets';
import { listSubmissions } from '../submission/repository';
import type { AlertChannel, ChannelName } from './channels/types';
import { buildAlertMessage, type AlertKind } from './messages';
import { createAlert, deliveryOf, openDisputeIds, pendingChannels, recordDelivery, recordScheduledThresholdJobs, scheduledThresholdJobs } from './repository';
import { planThresholds, supersededBy, thresholdKind } from './schedule';

export const THRESHOLD_JOB = 'alert.threshold';
export const DELIVER_JOB = 'alert.deliver';
export const RECONCILE_JOB = 'alert.reconcile';
/** Reconciliation found a dispute no webhook delivered (src/reconcile/alert.ts). */
export const WEBHOOKS_MISSING_JOB = 'alert.webhooks_missing';
/** How often the schedule is rebuilt from PostgreSQL, in case Redis lost its delayed jobs. */
export const RECONCILE_EVERY_MS = 15 * 60_000;


const ThresholdJob = z.object({ disputeId: z.uuid(), thresholdMs: z.number().int().positive(), dueBy: z.iso.datetime() });
const WebhooksMissingJob = z.object({ provider: z.enum(['stripe', 'paypal', 'square']), eventId: z.uuid(), day: z.iso.date() });
const DeliverJob = z.object({ alertId: z.uuid(), channel: z.enum(['email', 'slack', 'webhook']) });

export interface AlertDeps {
  db: Db;
  log: Logger;
  alerts: Queue;
  channels: AlertChannel[];
  settings: Config['alerts'] & { displayNames: Readonly<Record<string, string>> };
  /**
   * How long an "opened" alert waits for the dispute's first packet (stores and trackers are pulled
   * before it is built, src/sources/commerce/first-pull.ts), so it tells the real completeness. 0: no wait.
   */
  firstPacketWaitMs?: number;
}

/** Until the dispute has its first packet, or the wait is over (the alert then says what is known). */
async function awaitFirstPacket(db: Db, disputeId: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && !(await latestPacket(db, disputeId))) await new Promise((r) => setTimeout(r, 250));
}

/** Still ours to answer: open, and neither evidence nor an acceptance has gone to the provider. */
async function stillAnswerable(db: Db, d: Dispute): Promise<boolean> {
  if (d.status !== 'needs_response' || d.evidence.submittedAt) return false;
  return !(await listSubmissions(db, d.id)).some((s) => s.status === 'sent');
}

/**
 * Records the alert once and hands each channel's delivery to its own retrying job. Raising an
 * alert that exists enqueues its still-pending deliveries again (stable job ids make that a no-op
 * unless a crash came between recording the alert and enqueueing them).
 */
async function raise(deps: AlertDeps, dispute: Dispute, kind: AlertKind, dueBy: string | null): Promise<string> {
  const created = await createAlert(deps.db, { disputeId: dispute.id, kind, dueBy, channels: deps.channels.map((c) => c.name) });
  const channels = created.isNew ? deps.channels.map((c) => c.name) : await pendingChannels(deps.db, created.id);
  await addJobs(
    deps.alerts,
    channels.map((channel) => ({ name: DELIVER_JOB, data: { alertId: created.id, channel }, opts: { jobId: `deliver-${created.id}-${channel}` } })),
  );
  return created.isNew ? `${kind}: raised on ${channels.length} channel(s)` : `${kind}: already raised`;
}

/**
 * Scheduling for one dispute runs alone and reads the dispute under the lock: two changes handled
 * at once (opened, then deadline_changed) cannot leave jobs for a stale deadline in place of the
 * current one.
 */
async function underDisputeLock<T>(db: Db, disputeId: string, work: (dispute: Dispute | undefined, trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`alerts:${disputeId}`}))`.execute(trx);
    return work(await findDispute(trx, disputeId), trx);
  });
}

const thresholdJobId = (disputeId: string, thresholdMs: number, dueBy: string) => `threshold-${disputeId}-${thresholdMs}-${Date.parse(dueBy)}`;

/** The thresholds a dispute should have jobs for now: none once it no longer takes an answer or has no deadline. */
function plannedThresholds(deps: AlertDeps, dispute: Dispute, answerable: boolean, now: Date) {
  if (!answerable || !dispute.dueBy) return [];
  const dueBy = dispute.dueBy;
  const plan = planThresholds(new Date(dueBy), deps.settings.thresholdsMs, now);
  return [...(plan.catchUp ? [{ ...plan.catchUp, at: now }] : []), ...plan.ahead].map(({ thresholdMs, at }) => ({
    thresholdMs,
    dueBy,
    at,
    jobId: thresholdJobId(dispute.id, thresholdMs, dueBy),
  }));
}

/**
 * Brings the dispute's threshold jobs in line with its current deadline and state: removes those
 * recorded for another deadline (by id: no listing of the queue), adds the missing ones (adding a
 * job whose id exists does nothing), and records what it has. Of the thresholds already passed
 * only the most urgent is scheduled, now. Runs under the dispute's alert lock.
 */
async function applyThresholds(deps: AlertDeps, trx: Db, dispute: Dispute, now: Date): Promise<{ added: number; removed: number }> {
  const planned = plannedThresholds(deps, dispute, await stillAnswerable(trx, dispute), now);
  const wanted = new Set(planned.map((t) => t.jobId));
  const recorded = await scheduledThresholdJobs(trx, dispute.id);
  const stale = recorded.filter((id) => !wanted.has(id));
  await Promise.all(stale.map((id) => deps.alerts.remove(id)));
  if (planned.length > 0) {
    await addJobs(
      deps.alerts,
      planned.map(({ thresholdMs, dueBy, at, jobId }) => ({
        name: THRESHOLD_JOB,
        data: { disputeId: dispute.id, thresholdMs, dueBy },
        // BullMQ counts the delay from when the job is added, so from the clock now, not from `now`.
        opts: { jobId, delay: Math.max(0, at.getTime() - Date.now()) },
      })),
    );
  }
  if (stale.length > 0 || recorded.length !== wanted.size) await recordScheduledThresholdJobs(trx, dispute.id, [...wanted]);
  return { added: planned.length, removed: stale.length };
}

/** Brings the dispute's threshold jobs in line with its current deadline and state. */
function schedule(deps: AlertDeps, disputeId: string, now: Date): Promise<string> {
  return underDisputeLock(deps.db, disputeId, async (dispute, trx) => {
    if (!dispute) return 'dispute not found';
    const { added, removed } = await applyThresholds(deps, trx, dispute, now);
    return added === 0 ? `no thresholds to schedule (removed ${removed})` : `scheduled ${added} threshold(s), removed ${removed}`;
  });
}

/**
 * The schedule rebuilt from PostgreSQL: every open dispute gets its threshold jobs again (those
 * that exist are left as they are), so a Redis that lost its delayed jobs does not mean silence.
 */
async function reconcile(deps: AlertDeps, now: Date): Promise<string> {
  const ids = await openDisputeIds(deps.db, now);
  for (const id of ids) {
    await underDisputeLock(deps.db, id, async (dispute, trx) => {
      if (dispute) await applyThresholds(deps, trx, dispute, now);
    });
  }
  return `reconciled ${ids.length} open dispute(s)`;
}

async function onThreshold(deps: AlertDeps, data: z.infer<typeof ThresholdJob>, now: Date): Promise<string> {
  const dispute = await findDispute(deps.db, data.disputeId);
  if (!dispute || !(await stillAnswerable(deps.db, dispute))) return 'the dispute no longer needs a response';
  if (dispute.dueBy !== data.dueBy) return 'the deadline moved; a job for the new one is scheduled';
  const urgent = supersededBy(data.thresholdMs, new Date(data.dueBy), deps.settings.thresholdsMs, now);
  if (urgent !== undefined) return `superseded by the ${urgent} ms threshold`;
  return raise(deps, dispute, thresholdKind(data.thresholdMs) as AlertKind, data.dueBy);
}

async function deliver(deps: AlertDeps, job: Job, data: z.infer<typeof DeliverJob>): Promise<string> {
  const delivery = await deliveryOf(deps.db, data.alertId, data.channel);
  if (!delivery) throw new PermanentFailure(`no delivery ${data.alertId}/${data.channel}`);
  if (delivery.status === 'sent') return 'already sent';
  if (delivery.kind === 'opened' && deps.firstPacketWaitMs) await awaitFirstPacket(deps.db, delivery.dispute_id, deps.firstPacketWaitMs);
  const channel = deps.channels.find((c) => c.name === data.channel);
  const dispute = await findDispute(deps.db, delivery.dispute_id);
  if (!channel || !dispute) throw new PermanentFailure(`${data.channel} is no longer configured, or the dispute is gone`);
  try {
    await channel.send(buildAlertMessage(delivery.kind as AlertKind, dispute, deps.settings, new Date()), data.alertId);
  } catch (err) {
    const error = maskCardNumbers(err instanceof Error ? err.message : String(err));
    const last = isLastAttempt(job, isPermanent(err));
    await recordDelivery(deps.db, data.alertId, data.channel as ChannelName, { status: last ? 'failed' : 'pending', error });
    throw err;
  }
  await recordDelivery(deps.db, data.alertId, data.channel as ChannelName, { status: 'sent' });
  return 'sent';
}

/** Said on the dispute the found event recorded; until a worker has processed it, the job retries. */
async function onWebhooksMissing(deps: AlertDeps, data: z.infer<typeof WebhooksMissingJob>): Promise<string> {
  const entry = await deps.db.selectFrom('dispute_timeline').select('dispute_id').where('event_id', '=', data.eventId).executeTakeFirst();
  if (!entry) throw new Error(`event ${data.eventId} is not processed yet`);
  const dispute = await findDispute(deps.db, entry.dispute_id);
  if (!dispute) throw new PermanentFailure(`dispute ${entry.dispute_id} is gone`);
  // Keyed by the day, so the same dispute can carry the alert again on a later day.
  return raise(deps, dispute, 'webhooks_missing', `${data.day}T00:00:00.000Z`);
}

/** The alerts queue: dispute changes schedule, cancel and raise alerts; threshold and delivery jobs do the rest. */
export async function runAlertJob(deps: AlertDeps, job: Job, now = new Date()): Promise<string> {
  if (job.name === THRESHOLD_JOB) return onThreshold(deps, ThresholdJob.parse(job.data), now);
  if (job.name === DELIVER_JOB) return deliver(deps, job, DeliverJob.parse(job.data));
  if (job.name === RECONCILE_JOB) return reconcile(deps, now);
  if (job.name === WEBHOOKS_MISSING_JOB) return onWebhooksMissing(deps, WebhooksMissingJob.parse(job.data));
  const change = DisputeChange.parse(job.data);
  const dispute = await findDispute(deps.db, change.disputeId);
  if (!dispute) return 'dispute not found';
  switch (change.change) {
    case 'opened': {
      const opened = (await stillAnswerable(deps.db, dispute)) ? await raise(deps, dispute, 'opened', null) : 'not answerable';
      return `${opened}; ${await schedule(deps, dispute.id, now)}`;
    }
    case 'deadline_changed':
    case 'answered':
      return schedule(deps, dispute.id, now);
    case 'closed': {
      const scheduled = await schedule(deps, dispute.id, now);
      const outcome = dispute.outcome === 'won' || dispute.outcome === 'lost' ? await raise(deps, dispute, 'outcome', null) : 'no outcome to tell';
      return `${scheduled}; ${outcome}`;
    }
    case 'submission_failed':
      // Keyed by when the failure happened: the same change delivered twice is one alert, a later failure another.
      return raise(deps, dispute, 'submission_failed', change.at);
    case 'auto_accepted':
      // AUTO_ACCEPT_BELOW conceded it without anyone asking: the staff always hear of it.
      return raise(deps, dispute, 'auto_accepted', change.at);
    default:
      return `nothing to do for ${change.change}`;
  }
}

/** Rebuilds the schedule from PostgreSQL now and every RECONCILE_EVERY_MS (one scheduler, however many workers). */
export async function startReconciling(alerts: Queue): Promise<void> {
  await alerts.upsertJobScheduler('alerts-reconcile', { every: RECONCILE_EVERY_MS }, { name: RECONCILE_JOB, data: {} });
}
