import type { Dispute } from '../../disputes/model';
import { minorToDecimal } from '../../money';
import type { AcceptRequest, MessageRequest, OfferRequest, OfferType, ProviderAction } from '../../submission/actions';
import type { RemoteState, ResponseContext } from '../../ports';
import type { PaypalApi } from './client';

/**
 * PayPal's Resolution Center actions short of evidence: make-offer, accept-claim with a refund
 * type, send-message. PayPal takes no idempotency key: before each call the dispute is read back,
 * and its links[] say what it allows now; an offer or message already on the record is ours.
 */

const OFFER_TYPES: Record<OfferType, string> = {
  refund: 'REFUND',
  refund_with_return: 'REFUND_WITH_RETURN',
  refund_with_replacement: 'REFUND_WITH_REPLACEMENT',
  replacement: 'REPLACEMENT_WITHOUT_REFUND',
};

const ACCEPT_TYPES = { refund: 'REFUND', refund_with_return: 'REFUND_WITH_RETURN', partial_refund: 'PARTIAL_REFUND' } as const;

/** links[] rel → our action. */
const LINK_ACTIONS: Record<string, ProviderAction> = {
  provide_evidence: 'submit',
  accept_claim: 'accept',
  make_offer: 'offer',
  send_message: 'message',
};

export interface RemoteDisputeActions {
  links?: Array<{ rel?: string }>;
  offer?: { offer_type?: string; seller_offered_amount?: { value?: string; currency_code?: string }; history?: Array<{ actor?: string; event_type?: string; offer_type?: string }> };
  messages?: Array<{ posted_by?: string; content?: string }>;
}

const paypalMoney = (amount: { value: number; currency: string }) => ({ currency_code: amount.currency, value: minorToDecimal(amount.value, amount.currency) });
const path = (id: string, action: string) => `/v1/customer/disputes/${encodeURIComponent(id)}/${action}`;

export function allowedActions(remote: RemoteDisputeActions): Set<ProviderAction> {
  return new Set((remote.links ?? []).flatMap((l) => (l.rel && LINK_ACTIONS[l.rel] ? [LINK_ACTIONS[l.rel]!] : [])));
}

/** The make-offer body PayPal documents: note, offer_type, and offer_amount except for a replacement alone. */
export function makeOfferBody(offer: OfferRequest): Record<string, unknown> {
  return {
    note: offer.note,
    offer_type: OFFER_TYPES[offer.type],
    ...(offer.amount ? { offer_amount: paypalMoney(offer.amount) } : {}),
  };
}

export function acceptClaimBody(request: AcceptRequest = {}): Record<string, unknown> {
  return {
    note: request.note ?? 'The merchant accepts the claim; the customer will be refunded.',
    accept_claim_type: ACCEPT_TYPES[request.type ?? 'refund'],
    ...(request.amount ? { refund_amount: paypalMoney(request.amount) } : {}),
  };
}

/** Did our offer land? The dispute's offer names its type and the amount we proposed. */
export function offerOnRecord(remote: RemoteDisputeActions, offer: OfferRequest): boolean {
  const current = remote.offer;
  if (!current) return false;
  const type = OFFER_TYPES[offer.type];
  const proposed = current.offer_type === type || (current.history ?? []).some((h) => h.actor === 'SELLER' && h.event_type === 'PROPOSED' && h.offer_type === type);
  if (!proposed) return false;
  if (!offer.amount) return true;
  const amount = current.seller_offered_amount;
  return amount?.currency_code === offer.amount.currency && amount.value !== undefined && amount.value === minorToDecimal(offer.amount.value, offer.amount.currency);
}

export function messageOnRecord(remote: RemoteDisputeActions, message: MessageRequest): boolean {
  return (remote.messages ?? []).some((m) => m.posted_by === 'SELLER' && m.content === message.body);
}

/** Read-back for an offer or a message: already there, still allowed, or no longer possible. */
export function offerOrMessageState(remote: RemoteDisputeActions, kind: 'offer' | 'message', request: OfferRequest | MessageRequest): RemoteState {
  const landed = kind === 'offer' ? offerOnRecord(remote, request as OfferRequest) : messageOnRecord(remote, request as MessageRequest);
  if (landed) return 'already_answered';
  return allowedActions(remote).has(kind) ? 'takes_response' : 'closed';
}

export async function makeOffer(api: PaypalApi, dispute: Dispute, offer: OfferRequest, context: ResponseContext): Promise<void> {
  const body = makeOfferBody(offer);
  await api.call('POST', path(dispute.providerDisputeId, 'make-offer'), { json: body });
  const amount = body.offer_amount as { value: string; currency_code: string } | undefined;
  await context.record({ call: 'make-offer', status: 200, summary: `${body.offer_type}${amount ? ` ${amount.value} ${amount.currency_code}` : ''}` });
}

export async function sendMessage(api: PaypalApi, dispute: Dispute, message: MessageRequest, context: ResponseContext): Promise<void> {
  await api.call('POST', path(dispute.providerDisputeId, 'send-message'), { json: { message: message.body } });
  await context.record({ call: 'send-message', status: 200, summary: `${message.body.length} characters to the buyer` });
}

export async function acceptClaim(api: PaypalApi, dispute: Dispute, request: AcceptRequest | undefined, context: ResponseContext): Promise<void> {
  const body = acceptClaimBody(request);
  await api.call('POST', path(dispute.providerDisputeId, 'accept-claim'), { json: body });
  await context.record({ call: 'accept-claim', status: 200, summary: `accepted (${body.accept_claim_type})` });
}

/** The buyer accepted an offer the seller proposed (offer.history). */
export function buyerAcceptedOffer(offer: { history?: Array<{ actor?: string; event_type?: string }> } | undefined): boolean {
  return (offer?.history ?? []).some((h) => h.actor === 'BUYER' && h.event_type === 'ACCEPTED');
}
