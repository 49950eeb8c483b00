import type { Square } from 'square';
import { z } from 'zod';
import type { DisputeFacts, Normalized } from '../../disputes/facts';
import { money } from '../../money';
import { lookup } from '../lookup';
import { SQUARE_REASONS, SQUARE_STATES } from './mappings';

export const SquareDispute = z.object({
  id: z.string().min(1).optional(),
  dispute_id: z.string().min(1).optional(),
  amount_money: z.object({ amount: z.number().int(), currency: z.string().length(3) }).optional(),
  reason: z.string().optional(),
  state: z.string(),
  due_at: z.iso.datetime({ offset: true }).nullish(),
  disputed_payment: z.object({ payment_id: z.string() }).nullish(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  updated_at: z.iso.datetime({ offset: true }).optional(),
  version: z.number().int(),
}).refine((d) => d.id ?? d.dispute_id, { message: 'the dispute has neither id nor dispute_id', path: ['id'] });
export type SquareDispute = z.infer<typeof SquareDispute>;

/** The SDK answers in camelCase; the normalizer reads Square's wire format (snake_case), as webhooks carry it. */
export function squareWireDispute(d: Square.Dispute): unknown {
  const amount = d.amountMoney?.amount;
  return {
    id: d.id ?? undefined,
    amount_money: amount === undefined || amount === null ? undefined : { amount: Number(amount), currency: d.amountMoney?.currency },
    reason: d.reason ?? undefined,
    state: d.state,
    due_at: d.dueAt,
    disputed_payment: d.disputedPayment?.paymentId ? { payment_id: d.disputedPayment.paymentId } : undefined,
    created_at: d.createdAt ?? undefined,
    updated_at: d.updatedAt ?? undefined,
    version: d.version,
  };
}

/** The SDK's schema nests the dispute at data.object.object, older documented examples at data.object.dispute. */
const SquareEvent = z.object({
  event_id: z.string(),
  type: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  data: z.object({
    id: z.string().optional(),
    object: z.union([z.object({ object: z.unknown() }), z.object({ dispute: z.unknown() })]),
  }),
});

const utc = (time: string) => new Date(time).toISOString();

export function squareDisputeFacts(dispute: SquareDispute, eventTime: string): DisputeFacts {
  const unknownValues: string[] = [];
  const id = (dispute.id ?? dispute.dispute_id)!; // the schema requires one of them
  const state = lookup(SQUARE_STATES, dispute.state, unknownValues, 'state');
  return {
    provider: 'square',
    providerDisputeId: id,
    providerPaymentId: dispute.disputed_payment?.payment_id ?? null,
    amount: dispute.amount_money ? money(dispute.amount_money.amount, dispute.amount_money.currency) : undefined,
    reason: dispute.reason === undefined ? undefined : (lookup(SQUARE_REASONS, dispute.reason, unknownValues, 'reason') ?? 'general'),
    providerReason: dispute.reason,
    status: state?.status,
    providerStatus: dispute.state,
    stage: state?.stage,
    outcome: state?.outcome ?? (state?.status === 'closed' ? null : undefined),
    dueBy: dispute.due_at ? utc(dispute.due_at) : dispute.due_at === null ? null : undefined,
    openedAt: dispute.created_at ? utc(dispute.created_at) : undefined,
    occurredAt: utc(dispute.updated_at ?? eventTime),
    order: dispute.version,
    unknownValues,
  };
}

/** dispute.created, dispute.state.updated|changed, dispute.evidence.* → facts. */
export function normalizeSquare(payload: unknown): Normalized {
  const event = SquareEvent.parse(payload);
  if (!event.type.startsWith('dispute.')) return { ignored: `${event.type} is not a dispute event` };
  const wrapper = event.data.object;
  const dispute = SquareDispute.parse('object' in wrapper ? wrapper.object : wrapper.dispute);
  return squareDisputeFacts(dispute, event.created_at);
}
