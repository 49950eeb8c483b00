import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db/pool';
import { isTerminal, type Dispute } from '../disputes/model';
import { findDispute } from '../disputes/repository';
import type { Logger } from '../log';
import { maskCardNumbers } from '../log';
import { DisputeChange } from '../queue/names';
import { PermanentFailure } from '../queue/errors';
import type { AlertChannel, ChannelName } from './channels/types';
import { buildAlertMessage, type AlertKind } from './messages';
import { createAlert, deliveryOf, recordDelivery } from './repository';
import { planThresholds, supersededBy, thresholdKind } from './schedule';

export const THRESHOLD_JOB = 'alert.threshold';
export const DELIVER_JOB = 'alert.deliver';

/** A channel that fails is tried again with backoff; what happened stays on the delivery row. */
export const ALERT_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

const ThresholdJob = z.object({ disputeId: z.uuid(), thresholdMs: z.number().int().positive(), dueBy: z.iso.datetime() });
const DeliverJob = z.object({ alertId: z.uuid(), channel: z.enum(['email', 'slack', 'webhook']) });

export interface AlertDeps {
  db: Db;
  log: Logger;
  alerts: Queue;
  channels: AlertChannel[];
  settings: Config['alerts'];
}

const stillAnswerable = (d: Dispute) => d.status === 'needs_response' && !d.evidence.submittedAt && !isTerminal(d.status);

/** Records the alert once and hands each channel's delivery to its own retrying job. */
async function raise(deps: AlertDeps, dispute: Dispute, kind: AlertKind, dueBy: string | null): Promise<string> {
  const alertId = await createAlert(deps.db, { disputeId: dispute.id, kind, dueBy, channels: deps.channels.map((c) => c.name) });
  if (!alertId) return `${kind}: already raised`;
  for (const channel of deps.channels) {
    await deps.alerts.add(DELIVER_JOB, { alertId, channel: channel.name }, { jobId: `deliver-${alertId}-${channel.name}` });
  }
  return `${kind}: raised on ${deps.channels.length} channel(s)`;
}

/** Removes the dispute's pending threshold jobs (all of them, or those for another deadline). */
async function cancelThresholds(deps: AlertDeps, disputeId: string, keepDueBy?: string): Promise<number> {
  const delayed = await deps.alerts.getJobs(['delayed', 'waiting']);
  const stale = delayed.filter((j) => j.name === THRESHOLD_JOB && j.data.disputeId === disputeId && j.data.dueBy !== keepDueBy);
  await Promise.all(stale.map((j) => j.remove().catch(() => undefined)));
  return stale.length;
}

/** One delayed job per threshold with a stable id; a threshold already passed is caught up once. */
async function schedule(deps: AlertDeps, dispute: Dispute, now: Date): Promise<string> {
  const removed = await cancelThresholds(deps, dispute.id, dispute.dueBy ?? undefined);
  if (!dispute.dueBy || !stillAnswerable(dispute)) return `no thresholds to schedule (removed ${removed})`;
  const plan = planThresholds(new Date(dispute.dueBy), deps.settings.thresholdsMs, now);
  const jobs = [...(plan.catchUp ? [{ ...plan.catchUp, at: now }] : []), ...plan.ahead];
  for (const { thresholdMs, at } of jobs) {
    await deps.alerts.add(
      THRESHOLD_JOB,
      { disputeId: dispute.id, thresholdMs, dueBy: dispute.dueBy },
      { jobId: `threshold-${dispute.id}-${thresholdMs}-${Date.parse(dispute.dueBy)}`, delay: Math.max(0, at.getTime() - now.getTime()) },
    );
  }
  return `scheduled ${jobs.length} threshold(s), removed ${removed}`;
}

async function onThreshold(deps: AlertDeps, data: z.infer<typeof ThresholdJob>, now: Date): Promise<string> {
  const dispute = await findDispute(deps.db, data.disputeId);
  if (!dispute || !stillAnswerable(dispute)) return 'the dispute no longer needs a response';
  if (dispute.dueBy !== data.dueBy) return 'the deadline moved; a job for the new one is scheduled';
  const urgent = supersededBy(data.thresholdMs, new Date(data.dueBy), deps.settings.thresholdsMs, now);
  if (urgent !== undefined) return `superseded by the ${urgent} ms threshold`;
  return raise(deps, dispute, thresholdKind(data.thresholdMs) as AlertKind, data.dueBy);
}

async function deliver(deps: AlertDeps, job: Job, data: z.infer<typeof DeliverJob>): Promise<string> {
  const delivery = await deliveryOf(deps.db, data.alertId, data.channel);
  if (!delivery) throw new PermanentFailure(`no delivery ${data.alertId}/${data.channel}`);
  if (delivery.status === 'sent') return 'already sent';
  const channel = deps.channels.find((c) => c.name === data.channel);
  const dispute = await findDispute(deps.db, delivery.dispute_id);
  if (!channel || !dispute) throw new PermanentFailure(`${data.channel} is no longer configured, or the dispute is gone`);
  try {
    await channel.send(buildAlertMessage(delivery.kind as AlertKind, dispute, deps.settings, new Date()));
  } catch (err) {
    const error = maskCardNumbers(err instanceof Error ? err.message : String(err));
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await recordDelivery(deps.db, data.alertId, data.channel as ChannelName, { status: last ? 'failed' : 'pending', error });
    throw err;
  }
  await recordDelivery(deps.db, data.alertId, data.channel as ChannelName, { status: 'sent' });
  return 'sent';
}

/** The alerts queue: dispute changes schedule, cancel and raise alerts; threshold and delivery jobs do the rest. */
export async function runAlertJob(deps: AlertDeps, job: Job, now = new Date()): Promise<string> {
  if (job.name === THRESHOLD_JOB) return onThreshold(deps, ThresholdJob.parse(job.data), now);
  if (job.name === DELIVER_JOB) return deliver(deps, job, DeliverJob.parse(job.data));
  const change = DisputeChange.parse(job.data);
  const dispute = await findDispute(deps.db, change.disputeId);
  if (!dispute) return 'dispute not found';
  switch (change.change) {
    case 'opened': {
      const opened = stillAnswerable(dispute) ? await raise(deps, dispute, 'opened', null) : 'not answerable';
      return `${opened}; ${await schedule(deps, dispute, now)}`;
    }
    case 'deadline_changed':
      return schedule(deps, dispute, now);
    case 'answered':
      return `cancelled ${await cancelThresholds(deps, dispute.id)}`;
    case 'closed': {
      const cancelled = await cancelThresholds(deps, dispute.id);
      const outcome = dispute.outcome === 'won' || dispute.outcome === 'lost' ? await raise(deps, dispute, 'outcome', null) : 'no outcome to tell';
      return `cancelled ${cancelled}; ${outcome}`;
    }
    case 'submission_failed':
      return raise(deps, dispute, 'submission_failed', new Date().toISOString());
    default:
      return `nothing to do for ${change.change}`;
  }
}
