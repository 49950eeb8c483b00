import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { fixtureJson } from '../support/fixtures';

export const STRIPE_SECRET = 'whsec_faults_0123456789';

/** Evidence due ten days from the test run, so the disputes still take a response. */
const DUE_BY = Math.floor(Date.now() / 1000) + 10 * 86_400;

/** A Stripe charge.dispute.created for its own dispute (or a shared one), with its own event id. */
export function disputeEvent(eventId: string, disputeId: string): string {
  const template = fixtureJson<any>('stripe/charge.dispute.created.json');
  const dispute = { ...template.data.object, id: disputeId, evidence_details: { ...template.data.object.evidence_details, due_by: DUE_BY } };
  return JSON.stringify({ ...template, id: eventId, data: { object: dispute } });
}

export interface Delivery {
  eventId: string;
  /** Our id from the 2xx answer. */
  storedAs: string;
  attempts: number;
  non2xx: number;
}

/**
 * Delivers as a provider does: anything but a 2xx (a 503, a reset, a refused connection) is sent
 * again after a pause, freshly signed, until a 2xx comes back.
 */
export async function deliverLikeStripe(urls: string[], eventId: string, body: string, retryMs = 100, maxAttempts = 600): Promise<Delivery> {
  let non2xx = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const url = urls[attempt % urls.length]!;
    try {
      const response = await fetch(`${url}/webhooks/stripe`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(body, STRIPE_SECRET) },
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) return { eventId, storedAs: JSON.parse(text).eventId, attempts: attempt, non2xx };
      non2xx += 1;
    } catch {
      non2xx += 1;
    }
    await new Promise((r) => setTimeout(r, retryMs));
  }
  throw new Error(`${eventId} was never accepted`);
}

/** Runs `work` over items with at most `concurrency` at once. */
export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}
