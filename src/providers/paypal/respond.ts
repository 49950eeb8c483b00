import { PACKET_PDF_NAME } from '../../evidence/text';
import type { ProviderResponder } from '../../ports';
import type { PaypalApi } from './client';
import { acceptClaim, allowedActions, makeOffer, offerOrMessageState, sendMessage, type RemoteDisputeActions } from './offers';
import type { PaypalEvidencePayload } from './packet';
import { StoredMessage, StoredOffer } from '../../submission/actions';

interface RemoteDispute extends RemoteDisputeActions {
  status?: string;
  dispute_outcome?: { outcome_code?: string };
  evidences?: unknown[];
  links?: Array<{ rel?: string }>;
}

/**
 * PayPal: provide-evidence (multipart), accept-claim, make-offer and send-message (offers.ts),
 * with an OAuth token from the server SDK.
 * PayPal takes no idempotency key: the dispute is read back before every attempt, and its links[]
 * say what it still allows.
 */
export function paypalResponder(api: PaypalApi): ProviderResponder {
  const path = (id: string, action: string) => `/v1/customer/disputes/${encodeURIComponent(id)}/${action}`;
  return {
    async remoteState(dispute, kind, request) {
      const remote = (await api.getDispute(dispute.providerDisputeId)) as RemoteDispute;
      if (kind === 'offer') return offerOrMessageState(remote, kind, StoredOffer.parse(request));
      if (kind === 'message') return offerOrMessageState(remote, kind, StoredMessage.parse(request));
      const allows = new Set((remote.links ?? []).map((l) => l.rel));
      if (kind === 'accept') {
        if (remote.dispute_outcome?.outcome_code === 'ACCEPTED') return 'already_answered';
        return allows.has('accept_claim') ? 'takes_response' : 'closed';
      }
      if (allows.has('provide_evidence')) return 'takes_response';
      if (remote.status === 'RESOLVED') return 'closed';
      return (remote.evidences?.length ?? 0) > 0 || remote.status === 'UNDER_REVIEW' ? 'already_answered' : 'closed';
    },
    async submit(dispute, context) {
      const payload = context.packet.providerPayload as unknown as Omit<PaypalEvidencePayload, 'truncations'>;
      const form = new FormData();
      form.append('input', new Blob([JSON.stringify(payload.input)], { type: 'application/json' }), 'input.json');
      form.append('file1', new Blob([context.pdf], { type: 'application/pdf' }), PACKET_PDF_NAME);
      await api.call('POST', path(dispute.providerDisputeId, 'provide-evidence'), { form });
      await context.record({ call: 'provide-evidence', status: 200, summary: `${payload.input.evidences.length} evidence item(s) and ${PACKET_PDF_NAME}` });
    },
    async accept(dispute, context, request) {
      await acceptClaim(api, dispute, request, context);
    },
    offer: (dispute, offer, context) => makeOffer(api, dispute, offer, context),
    message: (dispute, message, context) => sendMessage(api, dispute, message, context),
    async allowedActions(dispute) {
      return allowedActions((await api.getDispute(dispute.providerDisputeId)) as RemoteDispute);
    },
  };
}
