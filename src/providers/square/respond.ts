import type { SquareClient } from 'square';
import { PACKET_PDF_NAME } from '../../evidence/text';
import type { ProviderResponder } from '../../ports';
import { rejectedOr } from '../../errors';
import type { SquareEvidencePayload } from './packet';

/** The SDK re-sends POSTs on 5xx by itself; irreversible calls must not, our job retries after a read-back. */
const NO_SDK_RETRY = { maxRetries: 0 };
const OPEN = new Set(['EVIDENCE_REQUIRED', 'INQUIRY_EVIDENCE_REQUIRED']);
const ANSWERED = new Set(['PROCESSING', 'INQUIRY_PROCESSING']);

/** Square: evidence texts and the PDF (with idempotency keys), then submit-evidence; accept. */
export function squareResponder(client: SquareClient): ProviderResponder {
  const call = <T>(promise: Promise<T>) => promise.catch((err: unknown) => Promise.reject(rejectedOr('square', err)));
  return {
    async remoteState(dispute, kind) {
      const state = (await call(client.disputes.get({ disputeId: dispute.providerDisputeId }))).dispute?.state ?? '';
      if (OPEN.has(state)) return 'takes_response';
      if (kind === 'accept') return state === 'ACCEPTED' ? 'already_answered' : 'closed';
      return ANSWERED.has(state) ? 'already_answered' : 'closed';
    },
    async submit(dispute, context) {
      const payload = context.packet.providerPayload as unknown as Omit<SquareEvidencePayload, 'truncations'>;
      const disputeId = dispute.providerDisputeId;
      for (const [index, text] of payload.texts.entries()) {
        await call(
          client.disputes.createEvidenceText(
            { disputeId, idempotencyKey: context.keyFor(`text-${index}`), evidenceType: text.evidence_type, evidenceText: text.evidence_text },
            NO_SDK_RETRY,
          ),
        );
      }
      await context.record({ call: 'evidence-text', status: 200, summary: `${payload.texts.length} evidence texts` });
      for (const [index, file] of payload.files.entries()) {
        await call(
          client.disputes.createEvidenceFile(
            {
              disputeId,
              request: { idempotencyKey: context.keyFor(`file-${index}`), evidenceType: file.evidence_type, contentType: file.content_type },
              imageFile: new File([context.pdf], PACKET_PDF_NAME, { type: 'application/pdf' }),
            },
            NO_SDK_RETRY,
          ),
        );
      }
      await context.record({ call: 'evidence-files', status: 200, summary: `${payload.files.length} file(s)` });
      const submitted = await call(client.disputes.submitEvidence({ disputeId }, NO_SDK_RETRY));
      await context.record({ call: 'submit-evidence', status: 200, summary: `submitted; Square state ${submitted.dispute?.state ?? 'unknown'}` });
    },
    async accept(dispute, context) {
      const accepted = await call(client.disputes.accept({ disputeId: dispute.providerDisputeId }, NO_SDK_RETRY));
      await context.record({ call: 'accept', status: 200, summary: `accepted; Square state ${accepted.dispute?.state ?? 'unknown'}` });
    },
  };
}
