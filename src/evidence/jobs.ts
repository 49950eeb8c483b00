import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../log';
import { publishDisputeChange, type DisputeChangeQueues } from '../queue/dispute-changes';
import { gatherEvidence, type GatherDeps } from './gather';

const ForDispute = z.object({ disputeId: z.uuid() });

/** evidence queue: a dispute opened or changed, or its order's records changed → gather, build, store. */
export async function runEvidenceJob(
  deps: GatherDeps & { log: Logger; queues: DisputeChangeQueues; beforeFirstPacket?: (disputeId: string) => Promise<void> },
  job: Job,
): Promise<string> {
  const { disputeId } = ForDispute.parse(job.data);
  // The order and its tracking live in the merchant's store and with the carrier: fetched first (src/sources).
  if (job.name === 'dispute.opened') await deps.beforeFirstPacket?.(disputeId);
  const result = await gatherEvidence(deps, disputeId);
  if (!result) return 'dispute not found';
  if (result.created) {
    await publishDisputeChange(deps.queues, { disputeId, change: 'packet_updated', at: new Date().toISOString() });
    deps.log.info({ disputeId, completeness: result.packet.completeness, missing: result.packet.missing }, 'evidence packet updated');
  }
  return result.created ? `packet ${result.packet.hash.slice(0, 12)}` : 'packet unchanged';
}
