import type { Reason } from '../../disputes/model';
import { formatAddress, type Packet } from '../../evidence/packet';
import { fit, type Truncation } from '../../evidence/text';
import { backed } from '../../evidence/presence';
import { STRIPE_FIELD_BACKING } from './evidence-backing';

export const STRIPE_FIELD_LIMIT = 20_000;
export const STRIPE_TOTAL_LIMIT = 150_000;

export type StripeTextField =
  | 'access_activity_log' | 'billing_address' | 'cancellation_policy_disclosure' | 'cancellation_rebuttal'
  | 'customer_email_address' | 'customer_name' | 'customer_purchase_ip' | 'duplicate_charge_explanation'
  | 'product_description' | 'refund_policy_disclosure' | 'refund_refusal_explanation' | 'service_date'
  | 'shipping_address' | 'shipping_carrier' | 'shipping_date' | 'shipping_tracking_number' | 'uncategorized_text';
export type StripeFileField =
  | 'cancellation_policy' | 'customer_communication' | 'duplicate_charge_documentation' | 'receipt'
  | 'refund_policy' | 'shipping_documentation' | 'uncategorized_file';

/** Stripe's evidence hash: text fields, plus the file field the PDF is uploaded into. */
export interface StripeEvidencePayload {
  evidence: Partial<Record<StripeTextField, string>>;
  fileField: StripeFileField;
  truncations: Truncation[];
}

const FILE_FIELD: Record<Reason, StripeFileField> = {
  product_not_received: 'shipping_documentation',
  fraud: 'uncategorized_file',
  product_unacceptable: 'customer_communication',
  credit_not_processed: 'refund_policy',
  subscription_canceled: 'cancellation_policy',
  duplicate: 'duplicate_charge_documentation',
  incorrect_amount: 'receipt',
  paid_by_other_means: 'receipt',
  general: 'uncategorized_file',
};

/** Canonical packet → `evidence[…]` for POST /v1/disputes/{id}, within 20,000 characters a field and 150,000 in all. */
export function buildStripeEvidence(packet: Packet): StripeEvidencePayload {
  const { order: o, shipment, deliveredTo, conversation, policies } = packet.facts;
  const explanation = [packet.letter, conversation && `Conversation with the customer:\n\n${conversation}`].filter(Boolean).join('\n\n');
  const raw: Partial<Record<StripeTextField, string | undefined>> = {
    customer_name: o?.customer.name,
    customer_email_address: o?.customer.email,
    billing_address: o?.customer.billingAddress && formatAddress(o.customer.billingAddress),
    shipping_address: deliveredTo ? formatAddress(deliveredTo) : undefined,
    shipping_carrier: shipment?.carrier,
    shipping_tracking_number: shipment?.trackingNumber,
    shipping_date: shipment?.shippedAt.slice(0, 10),
    customer_purchase_ip: o?.ip,
    product_description: o && `${o.items.map((i) => `${i.quantity} × ${i.description}${i.sku ? ` (SKU ${i.sku})` : ''}`).join('\n')}${o.productUrl ? `\n${o.productUrl}` : ''}`,
    refund_policy_disclosure: policies.refund,
    cancellation_policy_disclosure: policies.cancellation,
    access_activity_log:
      packet.reason === 'fraud' && o
        ? [
            o.ip && backed(packet, 'purchase_ip') && `Order placed from IP ${o.ip} on ${o.placedAt}.`,
            o.checks?.avs && backed(packet, 'avs_cvc_match') && `AVS: ${o.checks.avs}.`,
            o.checks?.cvc && backed(packet, 'avs_cvc_match') && `CVC: ${o.checks.cvc}.`,
            o.checks?.threeDSecure && backed(packet, 'three_d_secure') && `3-D Secure: ${o.checks.threeDSecure}.`,
          ]
            .filter(Boolean)
            .join(' ') || undefined
        : undefined,
    refund_refusal_explanation: packet.reason === 'credit_not_processed' ? packet.letter : undefined,
    cancellation_rebuttal: packet.reason === 'subscription_canceled' ? packet.letter : undefined,
    duplicate_charge_explanation: packet.reason === 'duplicate' ? packet.letter : undefined,
    uncategorized_text: explanation,
  };
  const truncations: Truncation[] = [];
  const evidence: Partial<Record<StripeTextField, string>> = {};
  for (const [field, value] of Object.entries(raw) as Array<[StripeTextField, string | undefined]>) {
    // A field is sent only with the evidence behind it (no refund policy disclosure without one).
    if (value && backed(packet, STRIPE_FIELD_BACKING[field])) evidence[field] = fit(value, STRIPE_FIELD_LIMIT, field, truncations);
  }
  const others = Object.entries(evidence).filter(([f]) => f !== 'uncategorized_text').reduce((n, [, v]) => n + v.length, 0);
  if (evidence.uncategorized_text && others + evidence.uncategorized_text.length > STRIPE_TOTAL_LIMIT) {
    evidence.uncategorized_text = fit(evidence.uncategorized_text, STRIPE_TOTAL_LIMIT - others, 'uncategorized_text (150,000 total)', truncations);
  }
  const fileField = backed(packet, STRIPE_FIELD_BACKING[FILE_FIELD[packet.reason]]) ? FILE_FIELD[packet.reason] : 'uncategorized_file';
  return { evidence, fileField, truncations };
}
