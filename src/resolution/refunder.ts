import type { Money } from '../disputes/model';
import type { ResponseContext } from '../submission/responder';

/** What the provider's charge says before a refund: read first, so a retry after a crash does not refund twice. */
export type ChargeState = 'refundable' | 'disputed' | 'already_refunded' | 'fully_refunded';

/**
 * A provider's refund of a charge (src/providers/<p>/refunds.ts): one call with the submission's
 * idempotency key. Throws ProviderRejected for a 4xx (Stripe's charge_disputed among them).
 */
export interface ChargeRefunder {
  /** `submissionId` finds a refund this submission already made (its metadata), so none is made twice. */
  chargeState(providerPaymentId: string, submissionId: string): Promise<ChargeState>;
  /** The charge's amount, for a warning recorded without one. */
  chargeAmount(providerPaymentId: string): Promise<Money | null>;
  refund(providerPaymentId: string, amount: Money | null, context: ResponseContext & { submissionId: string }): Promise<void>;
}
