import type Stripe from 'stripe';
import type { ProviderResponder } from '../../ports';
import { PACKET_PDF_NAME } from '../../evidence/text';
import { rejectedOr } from '../../errors';
import type { StripeEvidencePayload } from './packet';

const OPEN = new Set(['needs_response', 'warning_needs_response', 'appeal_needs_response']);
const ANSWERED = new Set(['under_review', 'warning_under_review', 'appeal_under_review']);

/** Stripe: upload the PDF (Files API), then disputes.update with the evidence and submit: true; accept is disputes.close. */
export function stripeResponder(client: Stripe): ProviderResponder {
  const call = <T>(promise: Promise<T>) => promise.catch((err: unknown) => Promise.reject(rejectedOr('stripe', err)));
  return {
    async remoteState(dispute, kind) {
      const remote = await call(client.disputes.retrieve(dispute.providerDisputeId));
      if (kind === 'accept') return remote.status === 'lost' ? 'already_answered' : OPEN.has(remote.status) ? 'takes_response' : 'closed';
      if (OPEN.has(remote.status) && !remote.evidence_details?.submission_count) return 'takes_response';
      return ANSWERED.has(remote.status) || (remote.evidence_details?.submission_count ?? 0) > 0 ? 'already_answered' : 'closed';
    },
    async submit(dispute, context) {
      const payload = context.packet.providerPayload as unknown as Omit<StripeEvidencePayload, 'truncations'>;
      const file = await call(
        client.files.create(
          { purpose: 'dispute_evidence', file: { data: context.pdf, name: PACKET_PDF_NAME, type: 'application/pdf' } },
          { idempotencyKey: context.keyFor('upload') },
        ),
      );
      await context.record({ call: 'files.create', status: 200, summary: `uploaded ${file.id} (${context.pdf.length} bytes)` });
      const updated = await call(
        client.disputes.update(
          dispute.providerDisputeId,
          { evidence: { ...payload.evidence, [payload.fileField]: file.id }, submit: true },
          { idempotencyKey: context.keyFor('submit') },
        ),
      );
      await context.record({ call: 'disputes.update', status: 200, summary: `submitted; Stripe status ${updated.status}` });
    },
    async accept(dispute, context) {
      const closed = await call(client.disputes.close(dispute.providerDisputeId, {}, { idempotencyKey: context.keyFor('accept') }));
      await context.record({ call: 'disputes.close', status: 200, summary: `accepted; Stripe status ${closed.status}` });
    },
  };
}
