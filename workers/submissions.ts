import type { Worker } from 'bullmq';
import type { Provider } from '../src/db/schema';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { runSubmissionJob } from '../src/submission/jobs';
import type { ProviderResponder } from '../src/submission/responder';
import { stageWorker } from './stage-worker';

/** submissions queue → the provider's API: evidence submitted or the dispute accepted, once. */
export function startSubmissionWorker(runtime: Runtime, responders: Partial<Record<Provider, ProviderResponder>>, refreshEvidence?: (disputeId: string) => Promise<void>): Worker {
  const { db, log, config, queues } = runtime;
  const deps = { db, log, queues, responders, submissions: queues.submissions, settings: config.submission, refreshEvidence };
  return stageWorker(runtime, QUEUES.submissions, (job) => runSubmissionJob(deps, job), 4);
}
