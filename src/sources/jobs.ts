import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import type { AlertChannel } from '../alerts/channels/types';
import type { Db } from '../db/pool';
import { gatherEvidence } from '../evidence/gather';
import type { Logger } from '../log';
import type { ProviderPortMap } from '../ports';
import { DisputeChange } from '../queue/names';
import { PermanentFailure } from '../errors';
import { addJobs } from '../queue/add-jobs';
import { alertSourceAuthFailed } from './alert';
import type { EnabledSource } from './clients';
import type { SourceAuthFailed } from './errors';
import { pushToHelpdesk, type HelpdeskAction } from './helpdesk/push';
import { runPull, type PullDeps } from './pull';
import { answerableDisputeIds, finishSync } from './repository';
import type { SourcesConfig } from './settings';
import type { HelpdeskClient } from './types';
import type { PaymentLookup } from './commerce/payment';

export const PULL_JOB = 'source.pull';
export const PUSH_JOB = 'source.push';
export const SYNC_JOB = 'source.sync';
export const INTERVAL_JOB = 'sources.interval';

/**
 * 5xx, timeouts and 429s past Retry-After patience retry with exponential backoff; refused
 * credentials and malformed payloads are PermanentFailure and are not retried.
 */

const PullJob = z.object({ source: z.string(), disputeId: z.uuid(), trigger: z.string(), onlyIfQueryChanged: z.boolean().optional() });
const PushJob = z.object({ source: z.string(), disputeId: z.uuid(), action: z.enum(['note', 'ack']) });
const SyncJob = z.object({ syncId: z.uuid(), source: z.string() });

export interface SourceJobDeps {
  db: Db;
  log: Logger;
  /** Each provider's packet builder: new messages gather the packet again. */
  providers: ProviderPortMap;
  sources: Queue;
  evidence: Queue;
  clients: Map<string, EnabledSource>;
  settings: SourcesConfig;
  links: { publicUrl: string; timezone: string };
  channels: AlertChannel[];
  /** Who paid and when (provider APIs), for the stores' email + amount rule. */
  payments?: PaymentLookup;
}

const pullJob = (source: string, disputeId: string, trigger: string, onlyIfQueryChanged = false) => ({ name: PULL_JOB, data: { source, disputeId, trigger, onlyIfQueryChanged } });
const pushJob = (source: string, disputeId: string, action: HelpdeskAction, at: string) => ({
  name: PUSH_JOB,
  data: { source, disputeId, action },
  // One job per change delivered: the same change twice queues it once. Exactly-once is the claimed row's job.
  opts: { jobId: `push-${source}-${disputeId}-${action}-${Date.parse(at)}` },
});

function onAuthFailed(deps: SourceJobDeps) {
  return (source: string, error: SourceAuthFailed) => alertSourceAuthFailed({ db: deps.db, log: deps.log, channels: deps.channels, publicUrl: deps.links.publicUrl }, source, error).then(() => undefined);
}

export function sourcePullDeps(deps: SourceJobDeps): PullDeps {
  return { db: deps.db, log: deps.log, evidence: deps.evidence, payments: deps.payments, onAuthFailed: onAuthFailed(deps) };
}

/** Pull jobs for every (source, dispute) pair. */
async function fanOut(deps: SourceJobDeps, sources: string[], disputeIds: string[], trigger: string): Promise<number> {
  const jobs = sources.flatMap((s) => disputeIds.map((d) => pullJob(s, d, trigger)));
  for (let i = 0; i < jobs.length; i += 500) await addJobs(deps.sources, jobs.slice(i, i + 500));
  return jobs.length;
}

const helpdesks = (deps: SourceJobDeps) => [...deps.clients.values()].filter((s) => s.module.kind === 'helpdesk').map((s) => s.module.name);

/** A dispute opened or its packet changed (e.g. its order became known): pull what is new, post what is owed. */
async function onDisputeChange(deps: SourceJobDeps, change: DisputeChange): Promise<string> {
  if (change.change !== 'opened' && change.change !== 'packet_updated') return `nothing to do for ${change.change}`;
  const opened = change.change === 'opened';
  const jobs = [
    // After an open, only a changed question (an order now known) is worth a call.
    // Stores and trackers were pulled inline before the first packet (src/sources/commerce/first-pull.ts): again only if that failed.
    ...[...deps.clients.values()].map((s) => pullJob(s.module.name, change.disputeId, opened ? 'opened' : 'order_known', !opened || s.module.kind !== 'helpdesk')),
    ...helpdesks(deps).flatMap((s) => (['note', 'ack'] as const).map((a) => pushJob(s, change.disputeId, a, change.at))),
  ];
  await addJobs(deps.sources, jobs);
  return `${jobs.length} source job(s)`;
}

/** The sources queue: pulls, pushes, sync requests and the SOURCE_SYNC_INTERVAL re-pull. */
export async function runSourcesJob(deps: SourceJobDeps, job: Job): Promise<string> {
  switch (job.name) {
    case PULL_JOB: {
      const data = PullJob.parse(job.data);
      const enabled = deps.clients.get(data.source);
      if (!enabled) return `${data.source} is not enabled`;
      const outcome = await runPull(sourcePullDeps(deps), enabled, data);
      return 'skipped' in outcome ? outcome.skipped : `${outcome.records} record(s), ${outcome.changed} new or changed`;
    }
    case PUSH_JOB: {
      const data = PushJob.parse(job.data);
      const enabled = deps.clients.get(data.source);
      if (!enabled || enabled.module.kind !== 'helpdesk') return `${data.source} is not an enabled helpdesk`;
      return pushToHelpdesk({ ...deps, onAuthFailed: onAuthFailed(deps) }, data.source, enabled.client as HelpdeskClient, data.disputeId, data.action);
    }
    case SYNC_JOB: {
      const data = SyncJob.parse(job.data);
      if (!deps.clients.has(data.source)) {
        await finishSync(deps.db, data.syncId, { status: 'failed', error: `${data.source} is not enabled` });
        throw new PermanentFailure(`${data.source} is not enabled`);
      }
      const disputes = await answerableDisputeIds(deps.db);
      await fanOut(deps, [data.source], disputes, 'sync');
      await finishSync(deps.db, data.syncId, { status: 'done', disputes: disputes.length });
      return `sync: ${disputes.length} dispute(s)`;
    }
    case INTERVAL_JOB: {
      const disputes = await answerableDisputeIds(deps.db);
      return `interval: ${await fanOut(deps, [...deps.clients.keys()], disputes, 'interval')} pull(s)`;
    }
    default: {
      if (!job.name.startsWith('dispute.')) throw new PermanentFailure(`unknown sources job ${job.name}`);
      return onDisputeChange(deps, DisputeChange.parse(job.data));
    }
  }
}

/** Re-pulls every SOURCE_SYNC_INTERVAL (one scheduler, however many workers); 0 or no source removes it. */
export async function scheduleResync(sources: Queue, intervalMs: number, anyEnabled: boolean): Promise<void> {
  if (intervalMs > 0 && anyEnabled) await sources.upsertJobScheduler('sources-interval', { every: intervalMs }, { name: INTERVAL_JOB, data: {} });
  else await sources.removeJobScheduler('sources-interval');
}

/**
 * Before a submission: pull every enabled source for the dispute now (bounded in time, failures
 * logged and left to the pull record), and re-gather the packet inline when anything changed.
 */
export async function refreshBeforeSubmit(deps: SourceJobDeps, disputeId: string, timeoutMs = 30_000): Promise<void> {
  let changed = 0;
  const pulls = [...deps.clients.values()].map(async (enabled) => {
    const outcome = await runPull(sourcePullDeps(deps), enabled, { disputeId, trigger: 'submission' });
    if (!('skipped' in outcome)) changed += outcome.changed;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  const settled = Promise.allSettled(pulls).then((results) => {
    for (const r of results) if (r.status === 'rejected') deps.log.warn({ err: r.reason, disputeId }, 'a source could not be pulled before the submission; submitting what there is');
  });
  await Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
  if (changed > 0) await gatherEvidence(deps, disputeId);
}
