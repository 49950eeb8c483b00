import { factsOfDispute, type PaymentLookup } from '../sources/commerce/payment';
import type { ProviderClients } from './clients';
import { paypalPaymentFacts } from './paypal/payment';
import { squarePaymentFacts } from './square/payment';
import { stripePaymentFacts } from './stripe/payment';

/**
 * Reads the disputed payment from its provider, for the stores: every id it goes by (Stripe charge
 * and PaymentIntent), the payer's email and the payment date (email + amount matching needs both).
 */
export function createPaymentLookup(clients: ProviderClients): PaymentLookup {
  return async (dispute) => {
    const paymentId = dispute.providerPaymentId;
    if (!paymentId) return factsOfDispute(dispute);
    if (dispute.provider === 'stripe' && clients.stripe) return stripePaymentFacts(clients.stripe, paymentId);
    if (dispute.provider === 'square' && clients.square) return squarePaymentFacts(clients.square, paymentId);
    if (dispute.provider === 'paypal' && clients.paypal) return paypalPaymentFacts(clients.paypal, dispute.providerDisputeId, paymentId);
    return factsOfDispute(dispute);
  };
}
