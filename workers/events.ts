import { Worker } from 'bullmq';
import { processEvent, type DisputeFetcher } from '../src/disputes/process-event';
import type { Provider } from '../src/db/schema';
import { workerConnection } from '../src/queue/connection';
import { runEventJob } from '../src/queue/event-jobs';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';

/** events queue → processEvent: provider event in, canonical dispute out. */
export function startEventWorker(
  runtime: Runtime,
  fetchers: Partial<Record<Provider, DisputeFetcher>>,
  options: { concurrency?: number } = {},
): Worker {
  const { db, log, config, queues } = runtime;
  const deps = { db, log, queues, fetchers };
  const worker = new Worker(QUEUES.events, (job) => runEventJob({ db, log }, job, (id) => processEvent(deps, id)), {
    connection: workerConnection(config.redisUrl),
    prefix: config.queuePrefix,
    concurrency: options.concurrency ?? 8,
  });
  worker.on('error', (err) => log.warn({ err }, 'event worker error'));
  return worker;
}
