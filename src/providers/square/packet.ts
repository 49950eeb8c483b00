import type { Reason } from '../../disputes/model';
import { formatAddress, type Packet } from '../../evidence/packet';
import { fit, PACKET_PDF_NAME, type Truncation } from '../../evidence/text';
import { backed } from '../../evidence/presence';
import { squareTypeBacking } from './evidence-backing';

export const SQUARE_TEXT_LIMIT = 500;

export type SquareEvidenceType =
  | 'GENERIC_EVIDENCE' | 'ONLINE_OR_APP_ACCESS_LOG' | 'AUTHORIZATION_DOCUMENTATION' | 'CANCELLATION_OR_REFUND_DOCUMENTATION'
  | 'CARDHOLDER_COMMUNICATION' | 'CARDHOLDER_INFORMATION' | 'PURCHASE_ACKNOWLEDGEMENT' | 'DUPLICATE_CHARGE_DOCUMENTATION'
  | 'PRODUCT_OR_SERVICE_DESCRIPTION' | 'RECEIPT' | 'SERVICE_RECEIVED_DOCUMENTATION' | 'PROOF_OF_DELIVERY_DOCUMENTATION'
  | 'RELATED_TRANSACTION_DOCUMENTATION' | 'REBUTTAL_EXPLANATION' | 'TRACKING_NUMBER';

/** Square's evidence: texts (500 characters each) for evidence-text, and the PDF for evidence-files. */
export interface SquareEvidencePayload {
  texts: Array<{ evidence_type: SquareEvidenceType; evidence_text: string }>;
  files: Array<{ evidence_type: SquareEvidenceType; filename: string; content_type: 'application/pdf' }>;
  truncations: Truncation[];
}

const FILE_TYPE: Record<Reason, SquareEvidenceType> = {
  product_not_received: 'PROOF_OF_DELIVERY_DOCUMENTATION',
  fraud: 'AUTHORIZATION_DOCUMENTATION',
  product_unacceptable: 'PRODUCT_OR_SERVICE_DESCRIPTION',
  credit_not_processed: 'CANCELLATION_OR_REFUND_DOCUMENTATION',
  subscription_canceled: 'CANCELLATION_OR_REFUND_DOCUMENTATION',
  duplicate: 'DUPLICATE_CHARGE_DOCUMENTATION',
  incorrect_amount: 'RECEIPT',
  paid_by_other_means: 'RELATED_TRANSACTION_DOCUMENTATION',
  general: 'GENERIC_EVIDENCE',
};

/** Canonical packet → the texts and files of POST /v2/disputes/{id}/evidence-text and /evidence-files. */
export function buildSquareEvidence(packet: Packet): SquareEvidencePayload {
  const { orderId, order: o, shipment, conversation, policies } = packet.facts;
  const reason = packet.reason;
  const candidates: Array<[SquareEvidenceType, string | undefined | false]> = [
    ['REBUTTAL_EXPLANATION', packet.letter],
    ['TRACKING_NUMBER', (reason === 'product_not_received' || reason === 'fraud' || reason === 'product_unacceptable') && shipment && `${shipment.carrier} ${shipment.trackingNumber}${shipment.deliveredAt ? `, delivered ${shipment.deliveredAt.slice(0, 10)}` : ''}`],
    ['PRODUCT_OR_SERVICE_DESCRIPTION', (reason === 'product_unacceptable' || reason === 'product_not_received') && o && o.items.map((i) => `${i.quantity} × ${i.description}`).join('; ')],
    ['CANCELLATION_OR_REFUND_DOCUMENTATION', reason === 'subscription_canceled' ? policies.cancellation : ['credit_not_processed', 'product_unacceptable', 'general'].includes(reason) && policies.refund],
    ['AUTHORIZATION_DOCUMENTATION', reason === 'fraud' && o?.checks && [backed(packet, 'avs_cvc_match') && `AVS ${o.checks.avs}, CVC ${o.checks.cvc}`, backed(packet, 'three_d_secure') && `3-D Secure ${o.checks.threeDSecure}`].filter(Boolean).join(', ')],
    ['CARDHOLDER_INFORMATION', reason === 'fraud' && o && `${o.customer.name} <${o.customer.email}>${o.customer.billingAddress ? `, billing address ${formatAddress(o.customer.billingAddress)}` : ''}`],
    ['ONLINE_OR_APP_ACCESS_LOG', reason === 'fraud' && o?.ip && `Order placed from IP ${o.ip} at ${o.placedAt}`],
    ['DUPLICATE_CHARGE_DOCUMENTATION', reason === 'duplicate' && o && `This charge pays order ${orderId} placed ${o.placedAt.slice(0, 10)}; any other charge pays a different order.`],
    ['RECEIPT', ['incorrect_amount', 'paid_by_other_means', 'general'].includes(reason) && o && `Order ${orderId}: ${o.items.map((i) => `${i.quantity} × ${i.description}`).join('; ')}, ${o.amount.value} ${o.amount.currency} minor units`],
    ['CARDHOLDER_COMMUNICATION', conversation],
  ];
  const truncations: Truncation[] = [];
  const texts = candidates
    // A type is sent only with the evidence behind it (no refund documentation without a policy).
    .filter((c): c is [SquareEvidenceType, string] => typeof c[1] === 'string' && c[1].length > 0 && backed(packet, squareTypeBacking(c[0], reason)))
    .map(([evidence_type, text]) => ({ evidence_type, evidence_text: fit(text, SQUARE_TEXT_LIMIT, evidence_type, truncations) }));
  const fileType = backed(packet, squareTypeBacking(FILE_TYPE[reason], reason)) ? FILE_TYPE[reason] : 'GENERIC_EVIDENCE';
  return { texts, files: [{ evidence_type: fileType, filename: PACKET_PDF_NAME, content_type: 'application/pdf' }], truncations };
}
