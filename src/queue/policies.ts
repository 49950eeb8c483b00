import type { JobsOptions } from 'bullmq';

/**
 * Every queue's job policy in one place: how often a job is tried, how long it waits between
 * tries (exponential: delay, 2×delay, 4×delay…), and how long finished jobs stay visible in
 * Bull Board. A job whose error is permanent (src/errors.ts `isPermanent`) is not retried at all.
 *
 * | queue / job            | attempts | first retry | kept done / failed | why                                     |
 * |------------------------|----------|-------------|--------------------|-----------------------------------------|
 * | events                 | 6        | 2 s         | 1 day / 7 days     | provider API reads: 5xx, 429, timeouts  |
 * | dispute changes        | 5        | 1 s         | 1 day / 7 days     | fan-out of a change to the stages       |
 * | evidence (re-gather)   | 5        | 1 s         | none / 7 days      | PostgreSQL only; a blip passes quickly  |
 * | submissions            | 6        | 5 s         | 7 days / 30 days   | provider 5xx; exactly once by read-back |
 * | auto-submit checks     | 1        | —           | none / 7 days      | rescheduled from every dispute change   |
 * | alerts                 | 6        | 2 s         | 7 days / 30 days   | SMTP, Slack, webhook receivers          |
 * | sources                | 5        | 5 s         | 1 day / 7 days     | helpdesk/store/tracker APIs: 5xx,       |
 * |                        |          |             |                    | timeouts (429 waits Retry-After inside) |
 * | maintenance            | 1        | —           | 7 days / 30 days   | reconciliation: the next run starts     |
 * |                        |          |             |                    | from the same watermark                 |
 */
export const JOB_POLICIES = {
  events: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  disputeChanges: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  evidence: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  submissions: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  autoSubmitChecks: {
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  alerts: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  sources: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  maintenance: {
    attempts: 1,
    removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
} as const satisfies Record<string, JobsOptions>;

/** Whether a failed job has used its last try (a permanent error is its last try by definition). */
export function isLastAttempt(job: { attemptsMade: number; opts: { attempts?: number } }, permanent: boolean): boolean {
  return permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
