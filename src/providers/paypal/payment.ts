import { z } from 'zod';
import type { PaymentFacts } from '../../sources/commerce/payment';
import type { PaypalApi } from './client';

const Disputed = z.object({
  disputed_transactions: z
    .array(z.object({ seller_transaction_id: z.string().nullish(), create_time: z.string().nullish(), buyer: z.object({ email: z.string().nullish() }).nullish() }))
    .nullish(),
});

/** The dispute's own record of the transaction: the capture id, when it was made, the buyer's email when PayPal gives it. */
export async function paypalPaymentFacts(paypal: PaypalApi, disputeId: string, paymentId: string): Promise<PaymentFacts> {
  const parsed = Disputed.safeParse(await paypal.getDispute(disputeId));
  const tx = parsed.success ? parsed.data.disputed_transactions?.find((t) => t.seller_transaction_id === paymentId) ?? parsed.data.disputed_transactions?.[0] : undefined;
  const email = tx?.buyer?.email ?? undefined;
  return {
    paymentIds: [paymentId],
    ...(email ? { email } : {}),
    ...(tx?.create_time ? { paidAt: new Date(tx.create_time).toISOString() } : {}),
  };
}
