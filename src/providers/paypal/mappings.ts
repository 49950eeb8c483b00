import type { DisputeStatus, Outcome, Reason, Stage } from '../../disputes/model';

export const PAYPAL_REASONS: Record<string, Reason> = {
  UNAUTHORISED: 'fraud',
  MERCHANDISE_OR_SERVICE_NOT_RECEIVED: 'product_not_received',
  MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED: 'product_unacceptable',
  CREDIT_NOT_PROCESSED: 'credit_not_processed',
  DUPLICATE_TRANSACTION: 'duplicate',
  CANCELED_RECURRING_BILLING: 'subscription_canceled',
  INCORRECT_AMOUNT: 'incorrect_amount',
  PAYMENT_BY_OTHER_MEANS: 'paid_by_other_means',
  PROBLEM_WITH_REMITTANCE: 'general',
  OTHER: 'general',
};

export const PAYPAL_STAGES: Record<string, Stage> = {
  INQUIRY: 'inquiry',
  CHARGEBACK: 'chargeback',
  PRE_ARBITRATION: 'pre_arbitration',
  ARBITRATION: 'arbitration',
};

/** Open statuses; RESOLVED is decided by the outcome code. OTHER keeps the status the dispute had. */
export const PAYPAL_STATUSES: Record<string, DisputeStatus | undefined> = {
  OPEN: 'needs_response',
  WAITING_FOR_SELLER_RESPONSE: 'needs_response',
  WAITING_FOR_BUYER_RESPONSE: 'under_review',
  UNDER_REVIEW: 'under_review',
  RESOLVED: undefined,
  OTHER: undefined,
};

export const PAYPAL_OUTCOMES: Record<string, { status: DisputeStatus; outcome: Outcome | null }> = {
  RESOLVED_SELLER_FAVOUR: { status: 'won', outcome: 'won' },
  RESOLVED_BUYER_FAVOUR: { status: 'lost', outcome: 'lost' },
  ACCEPTED: { status: 'accepted', outcome: 'accepted' },
  CANCELED_BY_BUYER: { status: 'closed', outcome: null },
  RESOLVED_WITH_PAYOUT: { status: 'closed', outcome: null },
  DENIED: { status: 'closed', outcome: null },
  NONE: { status: 'closed', outcome: null },
};
