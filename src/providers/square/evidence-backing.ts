import type { Reason } from '../../disputes/model';
import type { Backing } from '../../evidence/presence';
import type { SquareEvidenceType } from './packet';

/** The packet evidence each Square evidence type claims to carry; types not listed claim none of it. */
export const SQUARE_TYPE_BACKING: Partial<Record<SquareEvidenceType, Backing>> = {
  CANCELLATION_OR_REFUND_DOCUMENTATION: ['refund_policy', 'cancellation_policy'],
  PROOF_OF_DELIVERY_DOCUMENTATION: 'delivery_confirmation',
  TRACKING_NUMBER: 'tracking_number',
  PRODUCT_OR_SERVICE_DESCRIPTION: 'product_description',
  AUTHORIZATION_DOCUMENTATION: ['avs_cvc_match', 'three_d_secure'],
  ONLINE_OR_APP_ACCESS_LOG: 'purchase_ip',
  CARDHOLDER_INFORMATION: 'customer_identity',
  CARDHOLDER_COMMUNICATION: 'customer_communication',
  DUPLICATE_CHARGE_DOCUMENTATION: 'order_details',
  RECEIPT: 'order_details',
  RELATED_TRANSACTION_DOCUMENTATION: 'order_details',
};

/** The backing of a type for this reason: refund documentation is the cancellation policy only for a cancelled subscription. */
export function squareTypeBacking(type: SquareEvidenceType, reason: Reason): Backing | undefined {
  if (type === 'CANCELLATION_OR_REFUND_DOCUMENTATION') return reason === 'subscription_canceled' ? 'cancellation_policy' : 'refund_policy';
  return SQUARE_TYPE_BACKING[type];
}
