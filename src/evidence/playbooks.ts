import type { Reason } from '../disputes/model';

/** The kinds of evidence a packet can hold. */
export const EVIDENCE_KINDS = [
  'order_details',
  'customer_identity',
  'shipping_carrier',
  'tracking_number',
  'delivery_confirmation',
  'delivery_address_match',
  'proof_of_delivery',
  'tracking_history',
  'avs_cvc_match',
  'three_d_secure',
  'purchase_ip',
  'billing_address_match',
  'prior_undisputed_orders',
  'product_description',
  'refund_policy',
  'cancellation_policy',
  'customer_communication',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * Per canonical reason: the evidence that wins it (PROVIDERS.md §6) and how much each weighs.
 * Weights add up to 1, so completeness is the share of the winning evidence the merchant has.
 */
export const PLAYBOOKS: Record<Reason, Array<[EvidenceKind, number]>> = {
  product_not_received: [
    ['tracking_number', 0.2],
    ['shipping_carrier', 0.1],
    ['delivery_confirmation', 0.2],
    ['delivery_address_match', 0.2],
    ['proof_of_delivery', 0.15],
    ['tracking_history', 0.05],
    ['customer_communication', 0.1],
  ],
  fraud: [
    ['avs_cvc_match', 0.2],
    ['three_d_secure', 0.2],
    ['purchase_ip', 0.1],
    ['billing_address_match', 0.15],
    ['prior_undisputed_orders', 0.15],
    ['delivery_confirmation', 0.1],
    ['customer_communication', 0.1],
  ],
  product_unacceptable: [
    ['product_description', 0.3],
    ['refund_policy', 0.25],
    ['customer_communication', 0.3],
    ['delivery_confirmation', 0.15],
  ],
  credit_not_processed: [
    ['refund_policy', 0.4],
    ['customer_communication', 0.4],
    ['order_details', 0.2],
  ],
  subscription_canceled: [
    ['cancellation_policy', 0.4],
    ['customer_communication', 0.3],
    ['order_details', 0.3],
  ],
  duplicate: [
    ['order_details', 0.4],
    ['prior_undisputed_orders', 0.3],
    ['customer_communication', 0.3],
  ],
  incorrect_amount: [
    ['order_details', 0.5],
    ['customer_communication', 0.5],
  ],
  paid_by_other_means: [
    ['order_details', 0.5],
    ['customer_communication', 0.5],
  ],
  general: [
    ['order_details', 0.4],
    ['customer_communication', 0.3],
    ['refund_policy', 0.3],
  ],
};
