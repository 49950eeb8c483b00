import type { Queue } from 'bullmq';
import { findUnqueued, markQueued } from '../db/events';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import { enqueueEvent } from './events';
import type { EventJob } from './names';

/**
 * Events still 'received' after the grace period: stored while Redis was away, or queued by the
 * receiver but not yet picked up. Adding an existing job id is a no-op, so both end up queued once.
 */
export async function sweepOutbox(db: Db, queue: Queue<EventJob>, log: Logger, graceMs = 2_000): Promise<number> {
  const ids = await findUnqueued(db, graceMs, 500);
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
  if (queued.length > 0) log.info({ count: queued.length }, 'outbox: queued events stored while Redis was away');
  return queued.length;
}

export function startOutboxSweep(db: Db, queue: Queue<EventJob>, log: Logger, everyMs = 5_000): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweepOutbox(db, queue, log).catch((err) => log.warn({ err }, 'outbox sweep failed'));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
