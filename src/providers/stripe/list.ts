import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { DisputeLister } from '../../ports';
import { rejectedOr } from '../../errors';
import { StripeDispute, stripeDisputeFacts } from './normalize';

/**
 * Stripe's list filters by creation only, and a dispute changes while it is open (evidence due in
 * weeks, decided within about 75 days): each run re-reads every dispute created in this window
 * before the watermark. Unchanged ones cost a comparison, nothing stored.
 */
export const STRIPE_CHANGE_WINDOW_MS = 120 * 24 * 3600_000;

/** A dispute object carries no update time: its id names the state it shows. */
function stateId(dispute: StripeDispute): string {
  const state = [dispute.status, dispute.amount, dispute.currency, dispute.reason, dispute.evidence_details?.due_by ?? null];
  return `reconcile:${dispute.id}:${dispute.status}:${createHash('sha256').update(JSON.stringify(state)).digest('hex').slice(0, 12)}`;
}

/** `disputes.list` through the SDK, every page (its auto-pagination follows `starting_after`). */
export function stripeLister(stripe: Stripe, options: { pageSize?: number } = {}): DisputeLister {
  return async function* listStripeDisputes(since) {
    // Ordered at the time of the read, as the dispute fetcher does: a dispute read now is as new as a fact gets.
    const listedAt = Math.floor(Date.now() / 1000);
    const created = { gte: Math.floor((since.getTime() - STRIPE_CHANGE_WINDOW_MS) / 1000) };
    const pages = stripe.disputes.list({ limit: options.pageSize ?? 100, created });
    try {
      for await (const raw of pages) {
        const dispute = StripeDispute.parse(raw);
        const payload = { id: stateId(dispute), object: 'event', type: 'charge.dispute.updated', created: listedAt, data: { object: raw } };
        yield { providerEventId: payload.id, type: payload.type, payload, facts: stripeDisputeFacts(dispute, listedAt) };
      }
    } catch (err) {
      throw rejectedOr('stripe', err);
    }
  };
}
