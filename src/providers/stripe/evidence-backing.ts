import type { Backing } from '../../evidence/presence';
import type { StripeFileField, StripeTextField } from './packet';

/** The packet evidence each Stripe evidence field claims to carry; fields not listed claim none of it. */
export const STRIPE_FIELD_BACKING: Partial<Record<StripeTextField | StripeFileField, Backing>> = {
  refund_policy: 'refund_policy',
  refund_policy_disclosure: 'refund_policy',
  cancellation_policy: 'cancellation_policy',
  cancellation_policy_disclosure: 'cancellation_policy',
  shipping_documentation: ['tracking_number', 'shipping_carrier'],
  shipping_tracking_number: 'tracking_number',
  shipping_carrier: 'shipping_carrier',
  shipping_date: 'shipping_carrier',
  customer_communication: 'customer_communication',
  customer_purchase_ip: 'purchase_ip',
  access_activity_log: ['purchase_ip', 'avs_cvc_match', 'three_d_secure'],
  product_description: 'product_description',
  duplicate_charge_documentation: 'order_details',
  receipt: 'order_details',
  customer_name: 'customer_identity',
  customer_email_address: 'customer_identity',
  billing_address: 'customer_identity',
  shipping_address: 'customer_identity',
};
