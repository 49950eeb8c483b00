import type { Queue } from 'bullmq';

export const RETENTION_JOB = 'retention.erase';
const SCHEDULER_ID = 'retention';
const DAY_MS = 24 * 3600_000;

/** Daily while RETENTION_DAYS is set (and once at start); unset removes the schedule: personal data is kept. */
export async function scheduleRetention(queue: Queue, retentionDays: number | undefined): Promise<void> {
  if (retentionDays === undefined) {
    await queue.removeJobScheduler(SCHEDULER_ID);
    return;
  }
  await queue.upsertJobScheduler(SCHEDULER_ID, { every: DAY_MS }, { name: RETENTION_JOB, data: {} });
}
