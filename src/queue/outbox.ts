import { startPeriodic } from './periodic';
import type { Queue } from 'bullmq';
import { findUnqueued, markQueued } from '../db/events';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import { enqueueEvent } from './events';
import type { EventJob } from './names';

/** An event still 'received' this long after it arrived is probably not in the queue. */
export const SWEEP_GRACE_MS = 30_000;

/**
 * Events still 'received' or 'queued' after the grace period: stored while Redis was away, queued
 * to a Redis that lost them, or queued and not yet picked up. Adding an existing job id is a
 * no-op, so each ends up queued once.
 */
export async function sweepOutbox(db: Db, queue: Queue<EventJob>, log: Logger, graceMs = SWEEP_GRACE_MS): Promise<number> {
  // Small chunks: a large backlog is worked off over several sweeps instead of one burst that
  // would stall the webhooks sharing this process and this Redis.
  const ids = await findUnqueued(db, graceMs, 100);
  const queued: string[] = [];
  for (const id of ids) {
    try {
      await enqueueEvent(queue, id);
      queued.push(id);
    } catch (err) {
      log.warn({ err, eventId: id }, 'outbox: the queue is still unavailable');
      break;
    }
  }
  await markQueued(db, queued);
  if (queued.length > 0) log.info({ count: queued.length }, 'outbox: handed waiting events to the queue (stored while Redis was away, lost by a Redis restart, or not yet picked up)');
  return queued.length;
}

export function startOutboxSweep(db: Db, queue: Queue<EventJob>, log: Logger, everyMs = 5_000, graceMs = SWEEP_GRACE_MS): { stop(): Promise<void> } {
  return startPeriodic(() => sweepOutbox(db, queue, log, graceMs), everyMs, log, 'outbox sweep');
}
