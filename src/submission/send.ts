import type { Dispute } from '../disputes/model';
import { findDispute, recordConcession } from '../disputes/repository';
import type { Logger } from '../log';
import { publishDisputeChange, type DisputeChangeQueues } from '../queue/dispute-changes';
import { PermanentFailure } from '../errors';
import { currentPacket } from '../evidence/gather';
import { MAX_PDF_BYTES, renderPacketPdf } from '../evidence/pdf';
import { StoredAccept, StoredMessage, StoredOffer } from './actions';
import { sendWarningRefund } from './warning-refund';
import { runClaimed, type Attempt, type ClaimDeps } from './claimed';
import { FINAL_KINDS, type Submission } from './model';
import { claimForSending, recordPacketSent } from './repository';
import { portsOf, type ProviderPortMap, type ProviderResponder, type ResponseContext } from '../ports';

export interface SendDeps extends ClaimDeps {
  log: Logger;
  queues: DisputeChangeQueues;
  providers: ProviderPortMap;
  /** Pulls the evidence sources once more before a packet is sent (src/sources); failures never block the submission. */
  refreshEvidence?: (disputeId: string) => Promise<void>;
}

/** The irreversible call of one dispute submission, after the provider's record was read back. */
async function callProvider(deps: SendDeps, submission: Submission, dispute: Dispute, responder: ProviderResponder, context: ResponseContext): Promise<void> {
  const remote = await responder.remoteState(dispute, submission.kind, submission.request);
  if (remote === 'closed') throw new PermanentFailure(`${dispute.provider} says the dispute no longer takes ${FINAL_KINDS.includes(submission.kind) ? 'a response' : `this ${submission.kind}`}`);
  if (remote === 'already_answered') {
    await context.record({ call: 'read-back', status: null, summary: `the provider already has this ${submission.kind}; not sent again` });
    return;
  }
  switch (submission.kind) {
    case 'submit': {
      await deps.refreshEvidence?.(dispute.id).catch((err: unknown) => deps.log.warn({ err, disputeId: dispute.id }, 'evidence sources could not be refreshed; submitting the packet as it is'));
      const packet = await currentPacket(deps, dispute.id);
      if (!packet) throw new PermanentFailure('no evidence packet could be built');
      const pdf = await renderPacketPdf(packet, { dispute, ...packet.snapshot });
      if (pdf.length > MAX_PDF_BYTES) throw new PermanentFailure(`the evidence PDF is ${pdf.length} bytes, over the ${MAX_PDF_BYTES} the providers take`);
      await recordPacketSent(deps.db, submission.id, packet.completeness);
      return responder.submit(dispute, { ...context, packet, pdf });
    }
    case 'accept':
      return responder.accept(dispute, context, StoredAccept.parse(submission.request));
    case 'offer':
      if (!responder.offer) throw new PermanentFailure(`${dispute.provider} takes no offers`);
      return responder.offer(dispute, StoredOffer.parse(submission.request), context);
    case 'message':
      if (!responder.message) throw new PermanentFailure(`${dispute.provider} takes no messages to the buyer`);
      return responder.message(dispute, StoredMessage.parse(submission.request), context);
    case 'refund':
      throw new PermanentFailure('a dispute is not refunded through a submission; accept or offer instead');
  }
}

/**
 * Sends one submission (evidence, acceptance, offer, message; or a warned charge's refund) to
 * its provider, exactly once: the provider's own record is read first, so a retry after a crash
 * that followed a successful call records it instead of calling again; the idempotency keys
 * cover what that read cannot see.
 */
export async function sendSubmission(deps: SendDeps, submissionId: string, attempt: Attempt): Promise<void> {
  const submission = await claimForSending(deps.db, submissionId);
  if (!submission) return; // already sent or failed: a duplicate job
  if (submission.warningId) return sendWarningRefund(deps, submission, submission.warningId, attempt);
  const disputeId = submission.disputeId!;
  const log = deps.log.child({ submissionId, disputeId, kind: submission.kind, attempt: attempt.number });
  const dispute = await findDispute(deps.db, disputeId);
  const responder = dispute && portsOf(deps.providers, dispute.provider).responder;

  await runClaimed(
    deps,
    submission,
    attempt,
    async (context) => {
      if (!dispute) throw new PermanentFailure('the dispute is gone');
      if (!responder) throw new PermanentFailure(`${dispute.provider} is not configured for submissions (API credentials missing)`);
      await callProvider(deps, submission, dispute, responder, context);
      // Our acceptance ends the dispute as accepted, whatever the provider calls it later (Stripe: lost).
      if (submission.kind === 'accept') await recordConcession(deps.db, disputeId, new Date());
    },
    async (reason) => {
      await publishDisputeChange(deps.queues, { disputeId, change: 'submission_failed', at: new Date().toISOString() });
      log.warn({ reason }, 'submission failed');
    },
  );

  if (submission.kind === 'submit') {
    await deps.db.updateTable('disputes').set({ submitted_at: new Date() }).where('id', '=', disputeId).execute();
  }
  await publishDisputeChange(deps.queues, { disputeId, change: 'answered', at: new Date().toISOString() });
  log.info('submission sent');
}
