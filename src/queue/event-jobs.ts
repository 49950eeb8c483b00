import type { Job } from 'bullmq';
import { recordAttempt } from '../db/events';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import { maskCardNumbers } from '../log';
import { isPermanent, PermanentFailure } from '../errors';
import { isLastAttempt } from './policies';
import { EventJob } from './names';

/** What became of an event; an ignored one says why (shown as its lastError in /api/events). */
export type EventOutcome = { status: 'processed' } | { status: 'ignored'; reason: string };
/** Processes the event and records its successful attempt on the event row. */
export type EventProcessor = (eventId: string) => Promise<EventOutcome>;

/** Runs one event job; a failed attempt is recorded on the event row here. */
export async function runEventJob(deps: { db: Db; log: Logger }, job: Job, processor: EventProcessor): Promise<void> {
  const parsed = EventJob.safeParse(job.data);
  if (!parsed.success) throw new PermanentFailure('event job without a valid eventId');
  const { eventId } = parsed.data;
  const log = deps.log.child({ eventId, jobId: job.id, attempt: job.attemptsMade + 1 });
  try {
    const outcome = await processor(eventId);
    log.info({ status: outcome.status }, 'event processed');
  } catch (err) {
    const message = maskCardNumbers(err instanceof Error ? err.message : String(err));
    const final = isLastAttempt(job, isPermanent(err));
    await recordAttempt(deps.db, eventId, { status: final ? 'failed' : 'queued', error: message }).catch((dbErr) =>
      log.error({ err: dbErr }, 'could not record the failed attempt'),
    );
    log.warn({ err, final }, final ? 'event failed' : 'event attempt failed; will retry');
    throw err;
  }
}
