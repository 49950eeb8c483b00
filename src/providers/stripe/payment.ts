import type Stripe from 'stripe';
import { z } from 'zod';
import type { PaymentFacts } from '../../sources/commerce/payment';

const Charge = z.object({
  id: z.string(),
  created: z.number(),
  payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  receipt_email: z.string().nullish(),
  billing_details: z.object({ email: z.string().nullish() }).nullish(),
});

/** The disputed charge (or PaymentIntent's latest charge): both ids, the payer's email, when it was paid. */
export async function stripePaymentFacts(stripe: Stripe, paymentId: string): Promise<PaymentFacts> {
  const raw = paymentId.startsWith('pi_')
    ? (await stripe.paymentIntents.retrieve(paymentId, { expand: ['latest_charge'] })).latest_charge
    : await stripe.charges.retrieve(paymentId);
  const charge = Charge.safeParse(raw);
  if (!charge.success) return { paymentIds: [paymentId] };
  const c = charge.data;
  const intent = typeof c.payment_intent === 'string' ? c.payment_intent : c.payment_intent?.id;
  const email = c.billing_details?.email ?? c.receipt_email ?? undefined;
  return {
    paymentIds: [...new Set([paymentId, c.id, ...(intent ? [intent] : [])])],
    ...(email ? { email } : {}),
    paidAt: new Date(c.created * 1000).toISOString(),
  };
}
