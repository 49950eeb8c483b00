import type { Worker } from 'bullmq';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { runSubmissionJob } from '../src/submission/jobs';
import { stageWorker } from './stage-worker';

/** submissions queue → the provider's API: evidence submitted or the dispute accepted, once. */
export function startSubmissionWorker(runtime: Runtime, refreshEvidence?: (disputeId: string) => Promise<void>): Worker {
  const { db, log, config, queues } = runtime;
  const deps = { db, log, queues, providers: runtime.providers.ports, submissions: queues.submissions, settings: config.submission, refreshEvidence };
  return stageWorker(runtime, QUEUES.submissions, (job) => runSubmissionJob(deps, job), 4);
}
