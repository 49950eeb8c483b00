import { Worker } from 'bullmq';
import { workerConnection } from '../src/queue/connection';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { runSubmissionJob } from '../src/submission/jobs';
import type { ProviderResponder } from '../src/submission/responder';
import type { Provider } from '../src/db/schema';

/** submissions queue → the provider's API: evidence submitted or the dispute accepted, once. */
export function startSubmissionWorker(
  runtime: Runtime,
  responders: Partial<Record<Provider, ProviderResponder>>,
  options: { concurrency?: number } = {},
): Worker {
  const { db, log, config, queues } = runtime;
  const deps = { db, log, queues, responders, submissions: queues.submissions, settings: config.submission };
  const worker = new Worker(QUEUES.submissions, (job) => runSubmissionJob(deps, job), {
    connection: workerConnection(config.redisUrl),
    prefix: config.queuePrefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('error', (err) => log.warn({ err }, 'submission worker error'));
  return worker;
}
