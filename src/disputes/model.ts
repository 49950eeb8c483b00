import type { Provider } from '../db/schema';

/** The canonical, provider-neutral dispute of CONTRACT.md. Provider vocabulary never goes past the adapters. */

export const DISPUTE_STATUSES = ['needs_response', 'under_review', 'won', 'lost', 'accepted', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const TERMINAL_STATUSES: readonly DisputeStatus[] = ['won', 'lost', 'accepted', 'closed'];

export const STAGES = ['inquiry', 'chargeback', 'pre_arbitration', 'arbitration'] as const;
export type Stage = (typeof STAGES)[number];

export const REASONS = [
  'fraud',
  'product_not_received',
  'product_unacceptable',
  'credit_not_processed',
  'duplicate',
  'subscription_canceled',
  'incorrect_amount',
  'paid_by_other_means',
  'general',
] as const;
export type Reason = (typeof REASONS)[number];

export type Outcome = 'won' | 'lost' | 'accepted';

/** An amount in the currency's minor unit (JPY 0 decimals, USD 2, KWD 3). */
export interface Money {
  value: number;
  currency: string;
}

export interface Dispute {
  id: string;
  provider: Provider;
  providerDisputeId: string;
  providerPaymentId: string | null;
  orderId: string | null;
  amount: Money | null;
  reason: Reason;
  providerReason: string | null;
  status: DisputeStatus;
  providerStatus: string | null;
  stage: Stage;
  /** ISO-8601 UTC */
  dueBy: string | null;
  openedAt: string;
  updatedAt: string;
  closedAt: string | null;
  outcome: Outcome | null;
  evidence: { completeness: number; missing: string[]; submittedAt: string | null };
}

export function isTerminal(status: DisputeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
