import type { Reason } from '../../disputes/model';
import type { Packet } from '../../evidence/packet';
import { backed } from '../../evidence/presence';
import { fit, PACKET_PDF_NAME, type Truncation } from '../../evidence/text';
import { PAYPAL_TYPE_BACKING } from './evidence-backing';

/** PayPal caps evidence notes; 2,000 characters is what its dashboard accepts *(check)*. */
export const PAYPAL_NOTES_LIMIT = 2_000;

export type PaypalEvidenceType =
  | 'PROOF_OF_FULFILLMENT' | 'PROOF_OF_DELIVERY_SIGNATURE' | 'PROOF_OF_REFUND' | 'PROOF_OF_RECEIPT_COPY' | 'RETURN_POLICY'
  | 'BILLING_AGREEMENT' | 'PROOF_OF_RESHIPMENT' | 'ITEM_DESCRIPTION' | 'PAID_WITH_OTHER_METHOD' | 'CREDIT_DUE_REASON'
  | 'PROOF_OF_RETURN' | 'OTHER';

export interface PaypalEvidence {
  evidence_type: PaypalEvidenceType;
  evidence_info?: { tracking_info: Array<{ carrier_name: string; carrier_name_other?: string; tracking_number: string }> };
  notes: string;
  documents?: Array<{ name: string }>;
}

/** The `input` part of POST /v1/customer/disputes/{id}/provide-evidence; the PDF goes as a file part. */
export interface PaypalEvidencePayload {
  input: { evidences: PaypalEvidence[] };
  truncations: Truncation[];
}

const PAYPAL_CARRIERS = new Set(['UPS', 'USPS', 'FEDEX', 'DHL', 'DHL_API', 'ROYAL_MAIL', 'CANADA_POST', 'AUSTRALIA_POST', 'LA_POSTE', 'DEUTSCHE_POST', 'CHINA_POST', 'JAPAN_POST', 'YANWEN', 'CAINIAO']);

function trackingInfo(carrier: string, trackingNumber: string) {
  const code = carrier.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return PAYPAL_CARRIERS.has(code)
    ? { carrier_name: code, tracking_number: trackingNumber }
    : { carrier_name: 'OTHER', carrier_name_other: carrier, tracking_number: trackingNumber };
}

const TYPES: Record<Reason, PaypalEvidenceType[]> = {
  product_not_received: ['PROOF_OF_FULFILLMENT'],
  fraud: ['PROOF_OF_FULFILLMENT', 'OTHER'],
  product_unacceptable: ['ITEM_DESCRIPTION', 'RETURN_POLICY'],
  credit_not_processed: ['RETURN_POLICY', 'CREDIT_DUE_REASON'],
  subscription_canceled: ['BILLING_AGREEMENT'],
  duplicate: ['OTHER'],
  incorrect_amount: ['PROOF_OF_RECEIPT_COPY'],
  paid_by_other_means: ['OTHER'],
  general: ['OTHER'],
};

/** Canonical packet → PayPal's provide-evidence input: evidence types by reason, tracking where it fits, notes. */
export function buildPaypalEvidence(packet: Packet): PaypalEvidencePayload {
  const { order: o, shipment, conversation, policies } = packet.facts;
  const truncations: Truncation[] = [];
  const notesFor = (type: PaypalEvidenceType): string => {
    if (type === 'ITEM_DESCRIPTION' && o) return `As sold: ${o.items.map((i) => `${i.quantity} × ${i.description}`).join('; ')}${o.productUrl ? ` (${o.productUrl})` : ''}`;
    if (type === 'RETURN_POLICY' && policies.refund) return `Refund policy shown at checkout: ${policies.refund}`;
    if (type === 'BILLING_AGREEMENT' && policies.cancellation) return `${packet.letter}\n\nCancellation terms: ${policies.cancellation}`;
    if (type === 'OTHER' && packet.reason === 'fraud') return packet.items.map((i) => i.summary).join('\n');
    return conversation ? `${packet.letter}\n\nConversation:\n${conversation}` : packet.letter;
  };
  // A type is sent only with the evidence behind it (no RETURN_POLICY without a refund policy).
  const types = TYPES[packet.reason].filter((type) => backed(packet, PAYPAL_TYPE_BACKING[type]));
  const evidences = (types.length ? types : (['OTHER'] as const)).map((type, index): PaypalEvidence => ({
    evidence_type: type,
    ...(type === 'PROOF_OF_FULFILLMENT' && shipment ? { evidence_info: { tracking_info: [trackingInfo(shipment.carrier, shipment.trackingNumber)] } } : {}),
    notes: fit(notesFor(type), PAYPAL_NOTES_LIMIT, `${type}.notes`, truncations),
    ...(index === 0 ? { documents: [{ name: PACKET_PDF_NAME }] } : {}),
  }));
  if (packet.reason === 'product_not_received' && shipment?.proofOfDelivery && backed(packet, PAYPAL_TYPE_BACKING.PROOF_OF_DELIVERY_SIGNATURE)) {
    evidences.push({ evidence_type: 'PROOF_OF_DELIVERY_SIGNATURE', notes: fit(`Proof of delivery: ${shipment.proofOfDelivery}`, PAYPAL_NOTES_LIMIT, 'PROOF_OF_DELIVERY_SIGNATURE.notes', truncations) });
  }
  return { input: { evidences }, truncations };
}
