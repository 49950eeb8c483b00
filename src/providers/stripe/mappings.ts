import type { DisputeStatus, Reason, Stage } from '../../disputes/model';

/** Stripe's dispute reasons (docs; the SDK types them as string). Unknown values → general. */
export const STRIPE_REASONS: Record<string, Reason> = {
  fraudulent: 'fraud',
  unrecognized: 'fraud',
  product_not_received: 'product_not_received',
  product_unacceptable: 'product_unacceptable',
  credit_not_processed: 'credit_not_processed',
  duplicate: 'duplicate',
  subscription_canceled: 'subscription_canceled',
  general: 'general',
  bank_cannot_process: 'general',
  check_returned: 'general',
  customer_initiated: 'general',
  debit_not_authorized: 'general',
  incorrect_account_details: 'general',
  insufficient_funds: 'general',
  noncompliant: 'general',
};

/** Stripe status → canonical status and stage; `stage: undefined` keeps the stage the dispute had. */
export const STRIPE_STATUSES: Record<string, { status: DisputeStatus; stage?: Stage }> = {
  warning_needs_response: { status: 'needs_response', stage: 'inquiry' },
  warning_under_review: { status: 'under_review', stage: 'inquiry' },
  warning_closed: { status: 'closed', stage: 'inquiry' },
  needs_response: { status: 'needs_response', stage: 'chargeback' },
  under_review: { status: 'under_review', stage: 'chargeback' },
  won: { status: 'won' },
  lost: { status: 'lost' },
  prevented: { status: 'closed' },
  appeal_needs_response: { status: 'needs_response', stage: 'pre_arbitration' },
  appeal_under_review: { status: 'under_review', stage: 'pre_arbitration' },
};
