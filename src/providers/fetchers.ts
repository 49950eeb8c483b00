import type { Config } from '../config';
import type { Provider } from '../db/schema';
import type { DisputeFetcher } from '../disputes/process-event';
import { ProviderRejected } from './errors';
import { PaypalApi } from './paypal/client';
import { PaypalDispute, paypalDisputeFacts } from './paypal/normalize';
import { createSquareClient } from './square/client';
import { SquareDispute, squareDisputeFacts } from './square/normalize';
import { createStripeClient } from './stripe/client';
import { StripeDispute, stripeDisputeFacts } from './stripe/normalize';

/** Turns an SDK error into ProviderRejected for a 4xx; everything else stays retryable. */
export function rejectedOr(provider: Provider, err: unknown): unknown {
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = (err as { message?: string }).message ?? `HTTP ${status}`;
    return new ProviderRejected(provider, status, message);
  }
  return err;
}

/** A reader of each provider's dispute API whose credentials are configured. */
export function createFetchers(config: Config): Partial<Record<Provider, DisputeFetcher>> {
  const fetchers: Partial<Record<Provider, DisputeFetcher>> = {};
  const { paypal, stripe, square } = config;
  if (paypal.clientId && paypal.clientSecret) {
    const api = new PaypalApi(paypal.apiBase, { clientId: paypal.clientId, clientSecret: paypal.clientSecret });
    fetchers.paypal = async (id) => {
      const dispute = PaypalDispute.parse(await api.getDispute(id));
      return paypalDisputeFacts(dispute, dispute.update_time ?? new Date().toISOString());
    };
  }
  if (stripe.secretKey) {
    const client = createStripeClient({ secretKey: stripe.secretKey, apiBase: stripe.apiBase });
    fetchers.stripe = async (id) => {
      const dispute = await client.disputes.retrieve(id).catch((err: unknown) => Promise.reject(rejectedOr('stripe', err)));
      return stripeDisputeFacts(StripeDispute.parse(dispute), Math.floor(Date.now() / 1000));
    };
  }
  if (square.accessToken) {
    const client = createSquareClient({ accessToken: square.accessToken, apiBase: square.apiBase });
    fetchers.square = async (id) => {
      const answer = await client.disputes.get({ disputeId: id }).catch((err: unknown) => Promise.reject(rejectedOr('square', err)));
      const d = answer.dispute;
      if (!d) throw new ProviderRejected('square', 404, `dispute ${id} not found`);
      const snake = SquareDispute.parse({
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
      return squareDisputeFacts(snake, snake.updated_at ?? new Date().toISOString());
    };
  }
  return fetchers;
}
