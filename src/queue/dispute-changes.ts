import type { Queue } from 'bullmq';
import { withTimeout } from '../time';
import type { DisputeChange } from './names';
import { JOB_POLICIES } from './policies';

export type DisputeChangeQueues = { evidence: Queue; submissions: Queue; alerts: Queue; sources?: Queue };


const LISTENERS: Record<DisputeChange['change'], Array<keyof DisputeChangeQueues>> = {
  opened: ['evidence', 'alerts', 'submissions', 'sources'],
  updated: ['evidence', 'submissions'],
  deadline_changed: ['alerts', 'submissions'],
  closed: ['alerts'],
  packet_updated: ['submissions', 'sources'],
  answered: ['alerts'],
  submission_failed: ['alerts'],
  auto_accepted: ['alerts'],
};

/** Hands a dispute change to every stage that listens for it, as a job named after the change. */
export async function publishDisputeChange(queues: DisputeChangeQueues, change: DisputeChange): Promise<void> {
  await Promise.all(
    LISTENERS[change.change].flatMap((name) => {
      const queue = queues[name];
      return queue ? [queue] : [];
    }).map((queue) =>
      withTimeout(queue.add(`dispute.${change.change}`, change, JOB_POLICIES.disputeChanges), 2_000, `publishing ${change.change}`),
    ),
  );
}
