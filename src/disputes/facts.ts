import type { Provider } from '../db/schema';
import type { DisputeStatus, Money, Outcome, Reason, Stage } from './model';

/**
 * What one provider event says about one dispute, in canonical terms. A field left undefined is
 * one the payload did not carry (PayPal's webhooks are often partial); null means "known empty".
 */
export interface DisputeFacts {
  provider: Provider;
  providerDisputeId: string;
  providerPaymentId?: string | null;
  amount?: Money | null;
  reason?: Reason;
  providerReason?: string | null;
  status?: DisputeStatus;
  providerStatus?: string | null;
  stage?: Stage;
  outcome?: Outcome | null;
  dueBy?: string | null;
  openedAt?: string;
  /** The provider's own time for this fact. */
  occurredAt: string;
  /** The provider's ordering data: Stripe event.created, PayPal update_time, Square version. */
  order: number;
  /** Provider values no mapping table knows (mapped to general / status kept): logged, not fatal. */
  unknownValues: string[];
}

/** A provider event that is not about a dispute's state (e.g. an early fraud warning). */
export interface Ignored {
  ignored: string;
}

export type Normalized = DisputeFacts | Ignored;

export function isIgnored(normalized: Normalized): normalized is Ignored {
  return 'ignored' in normalized;
}

/** Facts the record cannot do without: then the dispute is read from the provider's API. */
export function missingEssentials(facts: DisputeFacts): string[] {
  const missing: string[] = [];
  if (!facts.amount) missing.push('amount');
  if (facts.status === 'needs_response' && !facts.dueBy) missing.push('dueBy');
  if (!facts.reason) missing.push('reason');
  return missing;
}
