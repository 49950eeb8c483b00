import type { Job, Worker } from 'bullmq';
import { GroupCommit } from '../src/db/group-commit';
import { processEvents } from '../src/disputes/process-event';
import { runEventJob, type EventOutcome } from '../src/queue/event-jobs';
import { keepWarning, type WarningFacts } from '../src/resolution/warnings';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import type { EventsFirst } from './events-first';
import { stageWorker } from './stage-worker';

/**
 * Jobs held at once. Each waits in the batcher for its event to be processed with the others
 * that arrived meanwhile, so this is also the largest batch a backlog can form.
 */
const EVENT_JOBS_AT_ONCE = 64;

/**
 * events queue → processEvents: provider events in, canonical disputes out. The events of the
 * jobs running at once are processed together (one transaction, one announcement per listening
 * stage), as the receiver commits its deliveries; a lone event goes at once.
 */
export function startEventWorker(runtime: Runtime, options: { concurrency?: number; priority?: EventsFirst } = {}): Worker {
  const { db, log, changeListeners } = runtime;
  const providers = runtime.providers.ports;
  const deps = { db, log, queues: changeListeners, providers, keepWarning: (warning: WarningFacts) => keepWarning({ db, providers }, warning) };
  const batcher = new GroupCommit<string, EventOutcome>({
    maxBatch: EVENT_JOBS_AT_ONCE,
    maxWaitMs: 5,
    maxInFlight: 2,
    commit: (eventIds) => processEvents(deps, eventIds),
  });
  const run = (job: Job) => runEventJob({ db, log }, job, (id) => batcher.submit(id));
  const { priority } = options;
  return stageWorker(runtime, QUEUES.events, priority ? (job) => priority.track(() => run(job)) : run, options.concurrency ?? EVENT_JOBS_AT_ONCE);
}
