import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { markRequeued } from '../db/events';
import type { Db } from '../db/pool';
import { QUEUES, type EventJob } from './names';
import { withTimeout } from '../time';
import { JOB_POLICIES } from './policies';
import { addJobs } from './add-jobs';

/** How long a write to Redis may take before the caller treats Redis as away. */
export const ENQUEUE_TIMEOUT_MS = 1_000;


export function createEventQueue(connection: Redis, prefix: string, jobOptions: JobsOptions = {}): Queue<EventJob> {
  return new Queue<EventJob>(QUEUES.events, { connection, prefix, defaultJobOptions: { ...JOB_POLICIES.events, ...jobOptions } });
}

interface Pending {
  eventId: string;
  jobId: string;
  done: (err?: unknown) => void;
}

const batches = new WeakMap<Queue<EventJob>, Pending[]>();

/** Everything enqueued during one turn of the event loop goes to Redis in one round trip. */
function flush(queue: Queue<EventJob>): void {
  const batch = batches.get(queue) ?? [];
  batches.delete(queue);
  withTimeout(
    addJobs(queue, batch.map((p) => ({ name: 'process-event', data: { eventId: p.eventId }, opts: { ...queue.defaultJobOptions, jobId: p.jobId } }))),
    ENQUEUE_TIMEOUT_MS,
    'enqueueing events',
  ).then(
    () => batch.forEach((p) => p.done()),
    (err: unknown) => batch.forEach((p) => p.done(err)),
  );
}

/**
 * One job per stored event: the job id is the event id, so the receiver and the outbox sweep
 * racing each other still make one job. A redrive is a new job with its own id. Concurrent
 * webhook deliveries share a round trip to Redis.
 */
export function enqueueEvent(queue: Queue<EventJob>, eventId: string, options: { redrive?: boolean } = {}): Promise<void> {
  const jobId = options.redrive ? `event-${eventId}-redrive-${Date.now()}` : `event-${eventId}`;
  return new Promise((resolve, reject) => {
    let batch = batches.get(queue);
    if (!batch) {
      batch = [];
      batches.set(queue, batch);
      setImmediate(() => flush(queue));
    }
    batch.push({ eventId, jobId, done: (err) => (err ? reject(err) : resolve()) });
  });
}

/** Many stored events, one round trip to Redis (the relay of each committed batch, src/queue/intake.ts). */
export async function enqueueEvents(queue: Queue<EventJob>, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await withTimeout(
    addJobs(queue, eventIds.map((eventId) => ({ name: 'process-event', data: { eventId }, opts: { ...queue.defaultJobOptions, jobId: `event-${eventId}` } }))),
    ENQUEUE_TIMEOUT_MS,
    'enqueueing events',
  );
}

/** Processes a stored event again, whatever its state (processing is idempotent). */
export async function redriveEvent(db: Db, queue: Queue<EventJob>, eventId: string): Promise<void> {
  await enqueueEvent(queue, eventId, { redrive: true });
  await markRequeued(db, eventId);
}
