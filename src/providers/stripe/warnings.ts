import type Stripe from 'stripe';
import { z } from 'zod';
import { money } from '../../money';
import type { ChargeRefunder } from '../../ports';
import type { WarningFacts } from '../../resolution/warnings';
import { rejectedOr } from '../../errors';

/** Stripe Radar's early fraud warnings (radar.early_fraud_warning.created|updated) and refunds of the warned charge. */

const EarlyFraudWarning = z.object({
  id: z.string().min(1),
  object: z.literal('radar.early_fraud_warning'),
  actionable: z.boolean().default(true),
  charge: z.union([z.string(), z.object({ id: z.string(), amount: z.number().int(), currency: z.string() }).loose()]),
  created: z.number().int().optional(),
  fraud_type: z.string().default('unknown'),
});

const WarningEvent = z.object({
  type: z.string(),
  created: z.number().int(),
  data: z.object({ object: z.unknown() }),
});

/** The warning an event carries, or undefined for any other event. Pure. */
export function readStripeWarning(payload: unknown): WarningFacts | undefined {
  const event = WarningEvent.safeParse(payload);
  if (!event.success || !event.data.type.startsWith('radar.early_fraud_warning.')) return undefined;
  const warning = EarlyFraudWarning.parse(event.data.data.object);
  const charge = warning.charge;
  return {
    provider: 'stripe',
    providerWarningId: warning.id,
    providerPaymentId: typeof charge === 'string' ? charge : charge.id,
    // The warning names the charge, not its amount, unless the charge came expanded.
    amount: typeof charge === 'string' ? null : money(charge.amount, charge.currency),
    reason: warning.fraud_type,
    actionable: warning.actionable,
    createdAt: new Date((warning.created ?? event.data.created) * 1000).toISOString(),
  };
}

const REFUND_MARK = 'rebuttal_submission';

/** Refunds.create with our submission's idempotency key and its id in metadata, so a read-back finds it. */
export function stripeRefunder(client: Stripe): ChargeRefunder {
  const call = <T>(promise: Promise<T>) => promise.catch((err: unknown) => Promise.reject(rejectedOr('stripe', err)));
  return {
    async chargeState(chargeId, submissionId) {
      const charge = await call(client.charges.retrieve(chargeId));
      const refunds = await call(client.refunds.list({ charge: chargeId, limit: 100 }));
      if (refunds.data.some((r) => r.metadata?.[REFUND_MARK] === submissionId)) return 'already_refunded';
      if (charge.disputed) return 'disputed';
      if (charge.refunded) return 'fully_refunded';
      return 'refundable';
    },
    async chargeAmount(chargeId) {
      const charge = await call(client.charges.retrieve(chargeId));
      return money(charge.amount, charge.currency);
    },
    async refund(chargeId, amount, context) {
      const refund = await call(
        client.refunds.create(
          { charge: chargeId, ...(amount ? { amount: amount.value } : {}), reason: 'fraudulent', metadata: { [REFUND_MARK]: context.submissionId } },
          { idempotencyKey: context.keyFor('refund') },
        ),
      );
      await context.record({ call: 'refunds.create', status: 200, summary: `refund ${refund.id} of ${refund.amount} ${refund.currency.toUpperCase()}: ${refund.status}` });
    },
  };
}
