import type { Worker } from 'bullmq';
import { relayCommitted } from '../src/queue/intake';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** Batches a receiver relays at once; each is one write to Redis. */
const INTAKE_JOBS_AT_ONCE = 4;

/** intake queue → events queue: each committed batch of webhook deliveries becomes one events job per event. */
export function startIntakeWorker(runtime: Runtime): Worker {
  return stageWorker(runtime, QUEUES.intake, (job) => relayCommitted(job, runtime.queues.events), INTAKE_JOBS_AT_ONCE);
}
