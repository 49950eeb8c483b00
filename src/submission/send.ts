import type { Db } from '../db/pool';
import type { Provider } from '../db/schema';
import { findDispute } from '../disputes/repository';
import type { Logger } from '../log';
import { maskCardNumbers } from '../log';
import { ProviderRejected } from '../providers/errors';
import { publishDisputeChange, type DisputeChangeQueues } from '../queue/dispute-changes';
import { PermanentFailure } from '../queue/errors';
import { currentPacket } from '../evidence/gather';
import { MAX_PDF_BYTES, renderPacketPdf } from '../evidence/pdf';
import { idempotencyKey } from './model';
import { claimForSending, markFailed, markRetrying, markSent, recordAnswer } from './repository';
import type { ProviderResponder } from './responder';

export interface SendDeps {
  db: Db;
  log: Logger;
  queues: DisputeChangeQueues;
  responders: Partial<Record<Provider, ProviderResponder>>;
  /** Pulls the evidence sources once more before a packet is sent (src/sources); failures never block the submission. */
  refreshEvidence?: (disputeId: string) => Promise<void>;
}

/**
 * Sends one submission (or acceptance) to its provider, exactly once: the provider's own record
 * is read first, so a retry after a crash that followed a successful call records it instead
 * of calling again; the idempotency keys cover what that read cannot see.
 */
export async function sendSubmission(deps: SendDeps, submissionId: string, attempt: { number: number; last: boolean }): Promise<void> {
  const submission = await claimForSending(deps.db, submissionId);
  if (!submission) return; // already sent or failed: a duplicate job
  const log = deps.log.child({ submissionId, disputeId: submission.disputeId, kind: submission.kind, attempt: attempt.number });
  const dispute = await findDispute(deps.db, submission.disputeId);
  const responder = dispute && deps.responders[dispute.provider];

  const fail = async (reason: string) => {
    await markFailed(deps.db, submissionId, reason);
    await publishDisputeChange(deps.queues, { disputeId: submission.disputeId, change: 'submission_failed', at: new Date().toISOString() });
    log.warn({ reason }, 'submission failed');
  };

  try {
    if (!dispute) throw new PermanentFailure('the dispute is gone');
    if (!responder) throw new PermanentFailure(`${dispute.provider} is not configured for submissions (API credentials missing)`);
    const context = {
      keyFor: (call: string) => idempotencyKey(submissionId, call),
      record: (answer: { call: string; status: number | null; summary: string }) =>
        recordAnswer(deps.db, submissionId, { ...answer, at: new Date().toISOString() }),
    };
    const remote = await responder.remoteState(dispute, submission.kind);
    if (remote === 'closed') throw new PermanentFailure(`${dispute.provider} says the dispute no longer takes a response`);
    if (remote === 'already_answered') {
      await context.record({ call: 'read-back', status: null, summary: 'the provider already has this response; not sent again' });
    } else if (submission.kind === 'submit') {
      await deps.refreshEvidence?.(dispute.id).catch((err: unknown) => log.warn({ err }, 'evidence sources could not be refreshed; submitting the packet as it is'));
      const packet = await currentPacket(deps.db, dispute.id);
      if (!packet) throw new PermanentFailure('no evidence packet could be built');
      const pdf = await renderPacketPdf(packet, { dispute, ...packet.snapshot });
      if (pdf.length > MAX_PDF_BYTES) throw new PermanentFailure(`the evidence PDF is ${pdf.length} bytes, over the ${MAX_PDF_BYTES} the providers take`);
      await responder.submit(dispute, { ...context, packet, pdf });
    } else {
      await responder.accept(dispute, context);
    }
  } catch (err) {
    const reason = maskCardNumbers(err instanceof Error ? err.message : String(err));
    if (err instanceof ProviderRejected || err instanceof PermanentFailure) {
      await fail(reason);
      throw err instanceof PermanentFailure ? err : new PermanentFailure(reason);
    }
    if (attempt.last) await fail(reason);
    else await markRetrying(deps.db, submissionId, reason);
    throw err;
  }

  await markSent(deps.db, submissionId);
  if (submission.kind === 'submit') {
    await deps.db.updateTable('disputes').set({ submitted_at: new Date() }).where('id', '=', submission.disputeId).execute();
  }
  await publishDisputeChange(deps.queues, { disputeId: submission.disputeId, change: 'answered', at: new Date().toISOString() });
  log.info('submission sent');
}
