import type { SquareClient } from 'square';
import type { PaymentFacts } from '../../sources/commerce/payment';

/** GET /v2/payments/{id}: the buyer's email and when the payment was made. */
export async function squarePaymentFacts(square: SquareClient, paymentId: string): Promise<PaymentFacts> {
  const { payment } = await square.payments.get({ paymentId });
  const email = payment?.buyerEmailAddress ?? undefined;
  return {
    paymentIds: [paymentId],
    ...(email ? { email } : {}),
    ...(payment?.createdAt ? { paidAt: new Date(payment.createdAt).toISOString() } : {}),
  };
}
