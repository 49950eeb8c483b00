import type { Provider } from '../db/schema';
import type { DisputeFetcher } from '../disputes/process-event';
import type { ProviderClients } from './clients';
import { ProviderRejected, rejectedOr } from './errors';
import { PaypalDispute, paypalDisputeFacts } from './paypal/normalize';
import { SquareDispute, squareDisputeFacts } from './square/normalize';
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
      return stripeDisputeFacts(StripeDispute.parse(dispute), Math.floor(Date.now() / 1000));
    };
  }
  if (square) {
    fetchers.square = async (id) => {
      const answer = await square.disputes.get({ disputeId: id }).catch((err: unknown) => Promise.reject(rejectedOr('square', err)));
      const d = answer.dispute;
      if (!d) throw new ProviderRejected('square', 404, `dispute ${id} not found`);
      // The SDK answers in camelCase; the normalizer reads Square's wire format.
      const wire = SquareDispute.parse({
        id: d.id ?? undefined,
        amount_money: d.amountMoney ? { amount: Number(d.amountMoney.amount ?? 0), currency: d.amountMoney.currency } : undefined,
        reason: d.reason ?? undefined,
        state: d.state,
        due_at: d.dueAt,
        disputed_payment: d.disputedPayment?.paymentId ? { payment_id: d.disputedPayment.paymentId } : undefined,
        created_at: d.createdAt ?? undefined,
        updated_at: d.updatedAt ?? undefined,
        version: d.version,
      });
      return squareDisputeFacts(wire, wire.updated_at ?? new Date().toISOString());
    };
  }
  return fetchers;
}
