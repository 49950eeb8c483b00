import type { Queue } from 'bullmq';
import { withTimeout } from '../time';
import type { DisputeChange } from './names';
import { JOB_POLICIES } from './policies';
import { addJobs } from './add-jobs';

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
  await publishDisputeChanges(queues, [change]);
}

/** Many changes, one round trip to Redis per listening queue. */
export async function publishDisputeChanges(queues: DisputeChangeQueues, changes: readonly DisputeChange[]): Promise<void> {
  const byQueue = new Map<Queue, DisputeChange[]>();
  for (const change of changes) {
    for (const name of LISTENERS[change.change]) {
      const queue = queues[name];
      if (!queue) continue;
      const heard = byQueue.get(queue) ?? [];
      heard.push(change);
      byQueue.set(queue, heard);
    }
  }
  await Promise.all(
    [...byQueue].map(([queue, heard]) =>
      withTimeout(
        addJobs(queue, heard.map((change) => ({ name: `dispute.${change.change}`, data: change, opts: JOB_POLICIES.disputeChanges }))),
        2_000,
        `publishing ${[...new Set(heard.map((c) => c.change))].join(', ')}`,
      ),
    ),
  );
}
