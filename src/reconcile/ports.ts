import type { Provider } from '../db/schema';
import type { DisputeFacts } from '../disputes/facts';

/**
 * One dispute as a provider's dispute list shows it, already in the shape a webhook of that
 * provider carries, so it is stored and processed by the very pipeline a webhook goes through.
 */
export interface ListedDispute {
  /** Deterministic: the same provider state listed twice gives the same id, so it is stored once. */
  providerEventId: string;
  type: string;
  /** A webhook-shaped event body around the listed dispute (what the normalizer reads). */
  payload: unknown;
  /** What that body says, for deciding whether the store already holds it. */
  facts: DisputeFacts;
}

/**
 * Every dispute a provider says was created or changed since `since`, across all pages. Provider
 * refusals and outages are thrown: the run for that provider fails and its watermark stays put.
 */
export type DisputeLister = (since: Date) => AsyncIterable<ListedDispute>;

export type DisputeListers = Partial<Record<Provider, DisputeLister>>;
