import type { Queue } from 'bullmq';
import type { Db } from '../db/pool';
import { JOB_POLICIES } from '../queue/policies';
import { answerableDisputesOfOrder } from './repository';

export const REGATHER_JOB = 'records.changed';

/** New or changed merchant records: the order's disputes that still take a response gather evidence again. */
export async function regatherForOrders(db: Db, evidence: Queue, orderIds: string[]): Promise<void> {
  for (const orderId of orderIds) {
    for (const disputeId of await answerableDisputesOfOrder(db, orderId)) {
      await evidence.add(REGATHER_JOB, { disputeId }, JOB_POLICIES.evidence);
    }
  }
}
