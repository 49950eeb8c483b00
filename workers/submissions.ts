import type { Worker } from 'bullmq';
import { QUEUES } from '../src/queue/names';
import { autoResolve } from '../src/resolution/recommendations';
import type { Runtime } from '../src/runtime';
import { runSubmissionJob } from '../src/submission/jobs';
import { stageWorker } from './stage-worker';

/** submissions queue → the provider's API: evidence, acceptance, offers, messages and refunds, once each. */
export function startSubmissionWorker(runtime: Runtime, refreshEvidence?: (disputeId: string) => Promise<void>): Worker {
  const { db, log, config, queues, changeListeners } = runtime;
  const base = { db, log, queues: changeListeners, providers: runtime.providers.ports, submissions: queues.submissions, settings: config.submission, refreshEvidence };
  const deps = { ...base, autoResolve: (disputeId: string) => autoResolve({ ...base, resolution: config.resolution }, disputeId) };
  return stageWorker(runtime, QUEUES.submissions, (job) => runSubmissionJob(deps, job), 4);
}
