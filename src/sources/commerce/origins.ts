import type { OrderMatch, RecordSource } from '../../evidence/records';
import { PUSHED_SOURCES } from '../../evidence/records';
import type { RecordOrigin } from '../../evidence/repository';

/** Which order a dispute keeps when sources (or rules) disagree. Pure. */

/** The merchant's own record ranks above any pull; a payment id above email + amount. */
export function strength(o: { source?: RecordSource; match?: OrderMatch | null }): number {
  if (o.source && PUSHED_SOURCES.includes(o.source)) return 3;
  if (o.match === 'payment_id') return 2;
  if (o.match === 'email_amount') return 1;
  // A pulled order without a recorded rule (older data) counts as the weakest link.
  return o.source ? 1 : 0;
}

export interface HeldOrder {
  orderId: string;
  source?: RecordSource;
  match?: OrderMatch | null;
}

/**
 * A store found `found` for a dispute that may already hold `held`. Same id: one order (merged).
 * Different ids: the stronger wins, the weaker stays listed as an origin; a tie keeps what is held.
 */
export function chooseOrder(held: HeldOrder | undefined, found: HeldOrder & { source: RecordSource; match: OrderMatch }): 'adopt' | 'merge' | 'keep' {
  if (!held) return 'adopt';
  if (held.orderId === found.orderId) return 'merge';
  return strength(found) > strength(held) ? 'adopt' : 'keep';
}

/**
 * Merging a pull into an order row of the same id: the merchant's data is never replaced; a pulled
 * row takes the new data unless it was tied by a stronger rule. Origins only grow.
 */
export function mergeOrderRow(
  existing: { source: RecordSource; match: OrderMatch | null; origins: RecordOrigin[] },
  pulled: { source: RecordSource; match: OrderMatch },
): { replaceData: boolean; match: OrderMatch | null; origins: RecordOrigin[] } {
  const pushed = PUSHED_SOURCES.includes(existing.source);
  const origins = addOrigin(existing.origins, { source: pulled.source, match: pulled.match });
  if (pushed) return { replaceData: false, match: existing.match, origins };
  const replaceData = strength({ source: pulled.source, match: pulled.match }) >= strength(existing);
  return { replaceData, match: replaceData ? pulled.match : existing.match, origins };
}

const same = (a: RecordOrigin, b: RecordOrigin) => a.source === b.source && a.match === b.match && a.orderId === b.orderId;

export function addOrigin(origins: RecordOrigin[], origin: RecordOrigin): RecordOrigin[] {
  const clean = Object.fromEntries(Object.entries(origin).filter(([, v]) => v !== undefined)) as unknown as RecordOrigin;
  return origins.some((o) => same(o, clean)) ? origins : [...origins, clean];
}
