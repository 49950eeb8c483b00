import type { Worker } from 'bullmq';
import { processEvent } from '../src/disputes/process-event';
import { runEventJob } from '../src/queue/event-jobs';
import { keepWarning, type WarningFacts } from '../src/resolution/warnings';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** events queue → processEvent: provider event in, canonical dispute out. */
export function startEventWorker(runtime: Runtime, options: { concurrency?: number } = {}): Worker {
  const { db, log, queues } = runtime;
  const providers = runtime.providers.ports;
  const deps = { db, log, queues, providers, keepWarning: (warning: WarningFacts) => keepWarning({ db, providers }, warning) };
  return stageWorker(runtime, QUEUES.events, (job) => runEventJob({ db, log }, job, (id) => processEvent(deps, id)), options.concurrency ?? 8);
}
