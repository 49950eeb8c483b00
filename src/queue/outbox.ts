import { startPeriodic } from './periodic';
import type { Queue } from 'bullmq';
import { findUnqueued, markQueued } from '../db/events';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import { enqueueEvents } from './events';
import type { EventJob } from './names';

/** An event still 'received' this long after it arrived is probably not in the queue. */
export const SWEEP_GRACE_MS = 30_000;

/** Events handed to Redis in one write. */
const CHUNK = 500;

/** One chunk of waiting events to the queue, then marked 'queued'; how many. */
async function queueChunk(db: Db, queue: Queue<EventJob>, filter: { olderThanMs: number; queuedToo: boolean }): Promise<number> {
  const ids = await findUnqueued(db, { ...filter, limit: CHUNK });
  await enqueueEvents(queue, ids);
  await markQueued(db, ids);
  return ids.length;
}

/**
 * Events still 'received' or 'queued' after the grace period: committed while Redis was away,
 * queued to a Redis that lost them, or queued and not yet picked up. Adding an existing job id is
 * a no-op, so each ends up queued once. One chunk a run: a large backlog is worked off over
 * several runs instead of one burst.
 */
export async function sweepOutbox(db: Db, queue: Queue<EventJob>, log: Logger, graceMs = SWEEP_GRACE_MS): Promise<number> {
  const queued = await queueChunk(db, queue, { olderThanMs: graceMs, queuedToo: true });
  if (queued > 0) log.info({ count: queued }, 'outbox: handed waiting events to the queue (stored while Redis was away, lost by a Redis restart, or not yet picked up)');
  return queued;
}

/** Every event never handed to the queue, chunk by chunk: what was committed while no relay listened. */
export async function queueAllReceived(db: Db, queue: Queue<EventJob>, log: Logger): Promise<number> {
  let total = 0;
  let queued: number;
  do {
    queued = await queueChunk(db, queue, { olderThanMs: 0, queuedToo: false });
    total += queued;
  } while (queued === CHUNK);
  if (total > 0) log.info({ count: total }, 'relay: queued the events committed while nothing listened');
  return total;
}

export function startOutboxSweep(db: Db, queue: Queue<EventJob>, log: Logger, everyMs = 5_000, graceMs = SWEEP_GRACE_MS): { stop(): Promise<void> } {
  return startPeriodic(() => sweepOutbox(db, queue, log, graceMs), everyMs, log, 'outbox sweep');
}
