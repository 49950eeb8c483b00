import type { Queue } from 'bullmq';
import { withTimeout } from '../time';

/** Job names on the maintenance queue owned by reconciliation. */
export const RECONCILE_RUN_JOB = 'reconcile.run';
const SCHEDULER_ID = 'reconcile';

/**
 * A run now and every `intervalMs` after (one scheduler in Redis however many workers start);
 * 0 removes the schedule, so turning RECONCILE_INTERVAL off takes effect at the next start.
 */
export async function scheduleReconciliation(queue: Queue, intervalMs: number, startedAt = Date.now()): Promise<void> {
  if (intervalMs === 0) {
    await queue.removeJobScheduler(SCHEDULER_ID);
    return;
  }
  await queue.upsertJobScheduler(SCHEDULER_ID, { every: intervalMs }, { name: RECONCILE_RUN_JOB, data: { requestedBy: 'schedule' } });
  await queue.add(RECONCILE_RUN_JOB, { requestedBy: 'start' }, { jobId: `reconcile-start-${startedAt}` });
}

/** POST /api/reconcile: a run as soon as a worker is free. */
export async function requestReconciliation(queue: Queue): Promise<{ id: string; status: 'queued' }> {
  const job = await withTimeout(queue.add(RECONCILE_RUN_JOB, { requestedBy: 'staff' }), 2_000, 'queueing a reconciliation');
  return { id: String(job.id), status: 'queued' };
}
