import type { Backing } from '../../evidence/presence';
import type { PaypalEvidenceType } from './packet';

/** The packet evidence each PayPal evidence type claims to carry; types not listed claim none of it. */
export const PAYPAL_TYPE_BACKING: Partial<Record<PaypalEvidenceType, Backing>> = {
  RETURN_POLICY: 'refund_policy',
  BILLING_AGREEMENT: 'cancellation_policy',
  PROOF_OF_FULFILLMENT: 'tracking_number',
  PROOF_OF_DELIVERY_SIGNATURE: 'proof_of_delivery',
  ITEM_DESCRIPTION: 'product_description',
  PROOF_OF_RECEIPT_COPY: 'order_details',
};
