import type { Provider } from '../db/schema';
import type { Money } from '../disputes/model';

/** The figures of CONTRACT.md "Insights". Amounts are minor units of one currency; currencies are never summed together. */

export interface Tally {
  count: number;
  amount: number;
}

export interface CurrencyFigures {
  currency: string;
  disputed: Tally;
  won: Tally;
  lost: Tally;
  accepted: Tally;
  open: Tally;
  expired: Tally;
  fees: { amount: number };
  recovered: { amount: number };
}

export interface ReasonFigures {
  reason: string;
  provider: Provider;
  won: number;
  lost: number;
  accepted: number;
  winRate: number | null;
}

export const COMPLETENESS_BUCKETS = ['0-25', '25-50', '50-75', '75-100'] as const;
export type CompletenessBucket = (typeof COMPLETENESS_BUCKETS)[number];

export interface CompletenessFigures {
  bucket: CompletenessBucket;
  won: number;
  lost: number;
  winRate: number | null;
}

export interface Insights {
  from: string;
  to: string;
  currencies: CurrencyFigures[];
  byReason: ReasonFigures[];
  byCompleteness: CompletenessFigures[];
  responseTime: { medianHours: number | null; onTimeRate: number | null };
}

/** Where a dispute ended, or `open` while the provider has not decided. */
export type InsightsOutcome = 'won' | 'lost' | 'accepted' | 'closed' | 'open';

/** Each provider's fee per dispute, from DISPUTE_FEES (absent = no fee). */
export type DisputeFees = Partial<Record<Provider, Money>>;

/**
 * won / (won + lost), 4 decimals; null when nothing was decided. Accepted disputes are
 * concessions, not defeats: they are not an argument of this function.
 */
export function winRate(won: number, lost: number): number | null {
  return won + lost === 0 ? null : round(won / (won + lost), 4);
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** A chargeable dispute (past the inquiry stage) costs its provider's fee, whatever the outcome; an inquiry costs nothing. */
export function feeOf(fees: DisputeFees, provider: Provider, chargeable: boolean): Money | undefined {
  const fee = fees[provider];
  return chargeable && fee && fee.value !== 0 ? fee : undefined;
}
