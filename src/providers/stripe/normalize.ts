import { z } from 'zod';
import type { DisputeFacts, Normalized } from '../../disputes/facts';
import { money } from '../../money';
import { lookup } from '../lookup';
import { STRIPE_REASONS, STRIPE_STATUSES } from './mappings';

export const StripeDispute = z.object({
  id: z.string().min(1),
  object: z.literal('dispute'),
  amount: z.number().int(),
  currency: z.string().length(3),
  charge: z.string().nullish(),
  payment_intent: z.string().nullish(),
  reason: z.string(),
  status: z.string(),
  created: z.number().int(),
  evidence_details: z.object({ due_by: z.number().int().nullish(), has_evidence: z.boolean().optional() }).partial().nullish(),
});
export type StripeDispute = z.infer<typeof StripeDispute>;

export const StripeEvent = z.object({
  id: z.string(),
  type: z.string(),
  created: z.number().int(),
  data: z.object({ object: z.unknown() }),
});

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** A Stripe Dispute object (from an event or from the API) as canonical facts. */
export function stripeDisputeFacts(dispute: StripeDispute, occurredAtSeconds: number): DisputeFacts {
  const unknownValues: string[] = [];
  const mapped = lookup(STRIPE_STATUSES, dispute.status, unknownValues, 'status');
  const status = mapped?.status;
  return {
    provider: 'stripe',
    providerDisputeId: dispute.id,
    providerPaymentId: dispute.charge ?? dispute.payment_intent ?? null,
    amount: money(dispute.amount, dispute.currency),
    reason: lookup(STRIPE_REASONS, dispute.reason, unknownValues, 'reason') ?? 'general',
    providerReason: dispute.reason,
    status,
    providerStatus: dispute.status,
    stage: mapped?.stage,
    outcome: status === 'won' || status === 'lost' ? status : status === 'closed' ? null : undefined,
    dueBy: dispute.evidence_details?.due_by ? iso(dispute.evidence_details.due_by) : null,
    openedAt: iso(dispute.created),
    occurredAt: iso(occurredAtSeconds),
    order: occurredAtSeconds,
    unknownValues,
  };
}

/** charge.dispute.* → facts; early fraud warnings are recorded but are not disputes. */
export function normalizeStripe(payload: unknown): Normalized {
  const event = StripeEvent.parse(payload);
  if (event.type.startsWith('radar.early_fraud_warning.')) {
    return { ignored: 'an early fraud warning is not a dispute: no response is possible (a refund may pre-empt a chargeback)' };
  }
  if (!event.type.startsWith('charge.dispute.')) return { ignored: `${event.type} is not a dispute event` };
  return stripeDisputeFacts(StripeDispute.parse(event.data.object), event.created);
}
