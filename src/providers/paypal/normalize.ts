import { buyerAcceptedOffer } from './offers';
import { z } from 'zod';
import type { DisputeFacts, Normalized } from '../../disputes/facts';
import { decimalToMinor, money } from '../../money';
import { lookup } from '../lookup';
import { PAYPAL_OUTCOMES, PAYPAL_REASONS, PAYPAL_STAGES, PAYPAL_STATUSES } from './mappings';

const Amount = z.object({ currency_code: z.string().length(3), value: z.string() });

/** The dispute resource, in webhooks (often partial) and from GET /v1/customer/disputes/{id}. */
export const PaypalDispute = z.object({
  dispute_id: z.string().min(1),
  create_time: z.iso.datetime({ offset: true }).optional(),
  update_time: z.iso.datetime({ offset: true }).optional(),
  disputed_transactions: z.array(z.object({ seller_transaction_id: z.string().optional() }).loose()).optional(),
  reason: z.string().optional(),
  status: z.string().optional(),
  dispute_amount: Amount.optional(),
  dispute_outcome: z.object({ outcome_code: z.string() }).loose().optional(),
  dispute_life_cycle_stage: z.string().optional(),
  seller_response_due_date: z.iso.datetime({ offset: true }).optional(),
  offer: z.object({ history: z.array(z.object({ actor: z.string().optional(), event_type: z.string().optional() }).loose()).optional() }).loose().optional(),
});
export type PaypalDispute = z.infer<typeof PaypalDispute>;

const PaypalEvent = z.object({
  id: z.string(),
  event_type: z.string(),
  create_time: z.iso.datetime({ offset: true }),
  resource: z.unknown(),
});

const utc = (time: string) => new Date(time).toISOString();

function statusOf(dispute: PaypalDispute, unknownValues: string[]) {
  if (dispute.status === 'RESOLVED') {
    // The buyer took our offer: a concession, not a fight lost, whatever outcome code PayPal gives it.
    if (buyerAcceptedOffer(dispute.offer)) return { status: 'accepted' as const, outcome: 'accepted' as const };
    const resolved = lookup(PAYPAL_OUTCOMES, dispute.dispute_outcome?.outcome_code ?? 'NONE', unknownValues, 'outcome');
    return resolved ?? { status: 'closed' as const, outcome: null };
  }
  const status = lookup(PAYPAL_STATUSES, dispute.status, unknownValues, 'status');
  return status ? { status, outcome: undefined } : { status: undefined, outcome: undefined };
}

/** A PayPal dispute resource as canonical facts; what the resource lacks stays undefined. */
export function paypalDisputeFacts(dispute: PaypalDispute, eventTime: string): DisputeFacts {
  const unknownValues: string[] = [];
  const { status, outcome } = statusOf(dispute, unknownValues);
  const occurredAt = utc(dispute.update_time ?? dispute.create_time ?? eventTime);
  const amount = dispute.dispute_amount;
  return {
    provider: 'paypal',
    providerDisputeId: dispute.dispute_id,
    providerPaymentId: dispute.disputed_transactions?.[0]?.seller_transaction_id,
    amount: amount ? money(decimalToMinor(amount.value, amount.currency_code), amount.currency_code) : undefined,
    reason: dispute.reason === undefined ? undefined : (lookup(PAYPAL_REASONS, dispute.reason, unknownValues, 'reason') ?? 'general'),
    providerReason: dispute.reason,
    status,
    providerStatus: dispute.status,
    stage: lookup(PAYPAL_STAGES, dispute.dispute_life_cycle_stage, unknownValues, 'stage'),
    outcome,
    dueBy: dispute.seller_response_due_date ? utc(dispute.seller_response_due_date) : undefined,
    openedAt: dispute.create_time ? utc(dispute.create_time) : undefined,
    occurredAt,
    order: Date.parse(occurredAt),
    unknownValues,
  };
}

/** CUSTOMER.DISPUTE.CREATED|UPDATED|RESOLVED and the older RISK.DISPUTE.CREATED → facts. */
export function normalizePaypal(payload: unknown): Normalized {
  const event = PaypalEvent.parse(payload);
  if (!event.event_type.startsWith('CUSTOMER.DISPUTE.') && event.event_type !== 'RISK.DISPUTE.CREATED') {
    return { ignored: `${event.event_type} is not a dispute event` };
  }
  return paypalDisputeFacts(PaypalDispute.parse(event.resource), event.create_time);
}
