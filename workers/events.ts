import type { Worker } from 'bullmq';
import type { Provider } from '../src/db/schema';
import { processEvent, type DisputeFetcher, type ProcessEventDeps } from '../src/disputes/process-event';
import { runEventJob } from '../src/queue/event-jobs';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** events queue → processEvent: provider event in, canonical dispute out. */
export function startEventWorker(runtime: Runtime, fetchers: Partial<Record<Provider, DisputeFetcher>>, options: { concurrency?: number; refunders?: ProcessEventDeps['refunders'] } = {}): Worker {
  const { db, log, queues } = runtime;
  const deps = { db, log, queues, fetchers, refunders: options.refunders };
  return stageWorker(runtime, QUEUES.events, (job) => runEventJob({ db, log }, job, (id) => processEvent(deps, id)), options.concurrency ?? 8);
}
