import type { Dispute } from '../../disputes/model';

/** What the payment provider says about the disputed payment: every id it goes by, and who paid when. */
export interface PaymentFacts {
  /** The dispute's payment id first, then its other names (a Stripe charge's PaymentIntent, …). */
  paymentIds: string[];
  email?: string;
  /** ISO-8601 */
  paidAt?: string;
}

/** A port owned by this domain, implemented with the provider clients (src/providers/payments.ts). */
export type PaymentLookup = (dispute: Dispute) => Promise<PaymentFacts>;

/** With no provider client (or when it fails): the dispute's own payment id, nothing more. */
export const factsOfDispute = (dispute: Dispute): PaymentFacts => ({ paymentIds: dispute.providerPaymentId ? [dispute.providerPaymentId] : [] });
