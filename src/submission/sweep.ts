import { startPeriodic } from '../queue/periodic';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import { enqueueSubmission } from './request';

/** A submission still 'queued' this long after its last change may never have reached Redis. */
export const SUBMISSION_SWEEP_GRACE_MS = 30_000;

/** Queued submissions untouched for the grace period, oldest first. */
async function findStaleQueued(db: Db, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('submissions')
    .select('id')
    .where('status', '=', 'queued')
    .where(sql<boolean>`updated_at < now() - make_interval(secs => ${graceMs / 1000})`)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Submissions asked for while Redis was away are recorded but have no job: the sweep adds it.
 * The job id is the submission's, so a submission whose job exists (waiting, or delayed for a
 * retry) is left as it is: adding it again is a no-op.
 */
export async function sweepSubmissions(db: Db, queue: Queue, log: Logger, graceMs = SUBMISSION_SWEEP_GRACE_MS): Promise<number> {
  let queued = 0;
  for (const id of await findStaleQueued(db, graceMs, 100)) {
    try {
      await enqueueSubmission(queue, id);
      queued += 1;
    } catch (err) {
      log.warn({ err, submissionId: id }, 'submission sweep: the queue is still unavailable');
      break;
    }
  }
  return queued;
}

export function startSubmissionSweep(db: Db, queue: Queue, log: Logger, everyMs = 15_000, graceMs = SUBMISSION_SWEEP_GRACE_MS): { stop(): Promise<void> } {
  return startPeriodic(() => sweepSubmissions(db, queue, log, graceMs), everyMs, log, 'submission sweep');
}
