import type { DisputeStatus, Outcome, Reason, Stage } from '../../disputes/model';

export const SQUARE_REASONS: Record<string, Reason> = {
  NO_KNOWLEDGE: 'fraud',
  EMV_LIABILITY_SHIFT: 'fraud',
  NOT_RECEIVED: 'product_not_received',
  NOT_AS_DESCRIBED: 'product_unacceptable',
  CUSTOMER_REQUESTS_CREDIT: 'credit_not_processed',
  DUPLICATE: 'duplicate',
  CANCELLED: 'subscription_canceled',
  AMOUNT_DIFFERS: 'incorrect_amount',
  PAID_BY_OTHER_MEANS: 'paid_by_other_means',
};

export const SQUARE_STATES: Record<string, { status: DisputeStatus; stage?: Stage; outcome?: Outcome }> = {
  INQUIRY_EVIDENCE_REQUIRED: { status: 'needs_response', stage: 'inquiry' },
  INQUIRY_PROCESSING: { status: 'under_review', stage: 'inquiry' },
  INQUIRY_CLOSED: { status: 'closed', stage: 'inquiry' },
  EVIDENCE_REQUIRED: { status: 'needs_response', stage: 'chargeback' },
  PROCESSING: { status: 'under_review', stage: 'chargeback' },
  WON: { status: 'won', outcome: 'won' },
  LOST: { status: 'lost', outcome: 'lost' },
  ACCEPTED: { status: 'accepted', outcome: 'accepted' },
};
