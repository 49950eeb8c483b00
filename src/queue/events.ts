import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { markRequeued } from '../db/events';
import type { Db } from '../db/pool';
import { QUEUES, type EventJob } from './names';
import { withTimeout } from '../time';
import { JOB_POLICIES } from './policies';
import { addJobs } from './add-jobs';

/** How long a write to Redis may take before the caller treats Redis as away. */
const ENQUEUE_TIMEOUT_MS = 1_000;

/** A write of event jobs (the relay's, the outbox's, a redrive), failed once it takes longer than ENQUEUE_TIMEOUT_MS. */
function enqueueWithin<T>(write: Promise<T>): Promise<T> {
  return withTimeout(write, ENQUEUE_TIMEOUT_MS, 'enqueueing events');
}

/** One stored event's job. BullMQ merges in the queue's default options (the events retry policy). */
function eventJob(eventId: string, jobId = `event-${eventId}`) {
  return { name: 'process-event', data: { eventId }, opts: { jobId } };
}

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
  enqueueWithin(addJobs(queue, batch.map((p) => eventJob(p.eventId, p.jobId)))).then(
    () => batch.forEach((p) => p.done()),
    (err: unknown) => batch.forEach((p) => p.done(err)),
  );
}

/**
 * One job per stored event: the job id is the event id, so the relay and the outbox sweep racing
 * each other still make one job. A redrive is a new job with its own id. The events enqueued in
 * one turn of the event loop (the ids the relay heard together) share a round trip to Redis.
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

/** Many stored events, one round trip to Redis (the outbox, src/queue/outbox.ts). */
export async function enqueueEvents(queue: Queue<EventJob>, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await enqueueWithin(addJobs(queue, eventIds.map((eventId) => eventJob(eventId))));
}

/** Processes a stored event again, whatever its state (processing is idempotent). */
export async function redriveEvent(db: Db, queue: Queue<EventJob>, eventId: string): Promise<void> {
  await enqueueEvent(queue, eventId, { redrive: true });
  await markRequeued(db, eventId);
}
