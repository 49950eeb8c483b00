import type { Dispute } from '../../disputes/model';
import type { ProviderPortMap } from '../../ports';

/** What the payment provider says about the disputed payment: every id it goes by, and who paid when. */
export interface PaymentFacts {
  /** The dispute's payment id first, then its other names (a Stripe charge's PaymentIntent, …). */
  paymentIds: string[];
  email?: string;
  /** ISO-8601 */
  paidAt?: string;
}

/** Reads the disputed payment from its provider: who paid and when, for matching orders by email and amount. */
export type PaymentLookup = (dispute: Dispute) => Promise<PaymentFacts>;

/** With no provider client (or when it fails): the dispute's own payment id, nothing more. */
export const factsOfDispute = (dispute: Dispute): PaymentFacts => ({ paymentIds: dispute.providerPaymentId ? [dispute.providerPaymentId] : [] });

/** The lookup through each provider's `lookupPayment` port (src/providers/<p>/payment.ts), else the dispute's own facts. */
export function paymentLookupOf(providers: ProviderPortMap): PaymentLookup {
  return async (dispute) => (dispute.providerPaymentId ? await providers.get(dispute.provider)?.lookupPayment?.(dispute) : undefined) ?? factsOfDispute(dispute);
}
