import type { Provider } from '../db/schema';
import type { DisputeFetcher } from '../disputes/process-event';
import type { ProviderClients } from './clients';
import { ProviderRejected, rejectedOr } from './errors';
import { PaypalDispute, paypalDisputeFacts } from './paypal/normalize';
import { SquareDispute, squareDisputeFacts, squareWireDispute } from './square/normalize';
import { StripeDispute, stripeDisputeFacts } from './stripe/normalize';

/** A reader of each provider's dispute API whose client is configured: completes partial webhooks. */
export function createFetchers(clients: ProviderClients): Partial<Record<Provider, DisputeFetcher>> {
  const fetchers: Partial<Record<Provider, DisputeFetcher>> = {};
  const { paypal, stripe, square } = clients;
  if (paypal) {
    fetchers.paypal = async (id) => {
      const dispute = PaypalDispute.parse(await paypal.getDispute(id));
      return paypalDisputeFacts(dispute, dispute.update_time ?? new Date().toISOString());
    };
  }
  if (stripe) {
    fetchers.stripe = async (id) => {
      const dispute = await stripe.disputes.retrieve(id).catch((err: unknown) => Promise.reject(rejectedOr('stripe', err)));
      // A dispute read now is as new as a fact gets: it is ordered at the time of the read, as Stripe's events are at theirs.
      return stripeDisputeFacts(StripeDispute.parse(dispute), Math.floor(Date.now() / 1000));
    };
  }
  if (square) {
    fetchers.square = async (id) => {
      const answer = await square.disputes.get({ disputeId: id }).catch((err: unknown) => Promise.reject(rejectedOr('square', err)));
      if (!answer.dispute) throw new ProviderRejected('square', 404, `dispute ${id} not found`);
      const dispute = SquareDispute.parse(squareWireDispute(answer.dispute));
      return squareDisputeFacts(dispute, dispute.updated_at ?? new Date().toISOString());
    };
  }
  return fetchers;
}
