import type { Job, Queue } from 'bullmq';
import { PermanentFailure } from '../errors';
import { enqueueEvents, enqueueWithin } from './events';
import { IntakeJob, type EventJob } from './names';

/**
 * Receive → queue. Before it answers, the receiver writes one job per committed batch: a batch
 * of one new event is that event's job itself; a larger one is an intake job carrying the ids,
 * which a worker turns into one events job per event. A BullMQ job costs tens of microseconds of
 * the receiver's CPU and of Redis's: one per event was the largest cost of a delivery after the
 * database at full load, where batches hold ten or more, while at a few hundred a second most
 * batches hold one and a second hop would only add a job.
 */

/** Where a committed batch's new events can go. */
export interface CommittedQueues {
  intake: Queue<IntakeJob>;
  events: Queue<EventJob>;
}

/** The receiver's one write to Redis per committed batch. */
export async function enqueueCommitted(queues: CommittedQueues, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length <= 1) return enqueueEvents(queues.events, eventIds);
  await enqueueWithin(queues.intake.add('committed-events', { eventIds: [...eventIds] }));
}

/** One events job per id of the batch; event ids are job ids, so a retry or the outbox sweep's copy adds nothing. */
export async function relayCommitted(job: Job, eventQueue: Queue<EventJob>): Promise<number> {
  const parsed = IntakeJob.safeParse(job.data);
  if (!parsed.success) throw new PermanentFailure('intake job without valid eventIds');
  await enqueueEvents(eventQueue, parsed.data.eventIds);
  return parsed.data.eventIds.length;
}
