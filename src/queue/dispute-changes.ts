import type { Queue } from 'bullmq';
import { withTimeout } from './connection';
import type { DisputeChange } from './names';

export type DisputeChangeQueues = { evidence: Queue; submissions: Queue; alerts: Queue; sources?: Queue };

const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

const LISTENERS: Record<DisputeChange['change'], Array<keyof DisputeChangeQueues>> = {
  opened: ['evidence', 'alerts', 'submissions', 'sources'],
  updated: ['evidence', 'submissions'],
  deadline_changed: ['alerts', 'submissions'],
  closed: ['alerts'],
  packet_updated: ['submissions', 'sources'],
  answered: ['alerts'],
  submission_failed: ['alerts'],
};

/** Hands a dispute change to every stage that listens for it, as a job named after the change. */
export async function publishDisputeChange(queues: DisputeChangeQueues, change: DisputeChange): Promise<void> {
  await Promise.all(
    LISTENERS[change.change].flatMap((name) => {
      const queue = queues[name];
      return queue ? [queue] : [];
    }).map((queue) =>
      withTimeout(queue.add(`dispute.${change.change}`, change, JOB_OPTIONS), 2_000, `publishing ${change.change}`),
    ),
  );
}
