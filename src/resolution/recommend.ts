import type { Provider } from '../db/schema';
import type { Money, Reason, Stage } from '../disputes/model';
import type { EvidenceKind } from '../evidence/playbooks';
import { formatMoney } from '../money';

/**
 * Fight or concede, per dispute: a win probability, what fighting is expected to bring back,
 * what it costs, and the action that leaves the merchant better off. Pure: the caller passes the
 * dispute's evidence summary, the merchant's own record and the settings.
 *
 * Where the figures come from. BASE_WIN_RATES are rounded planning estimates, not measurements:
 * published industry summaries commonly put the share of contested chargebacks that merchants
 * win at roughly one in five to two in five, highest for "not received" with carrier proof and
 * lowest for card-not-present fraud without 3-D Secure; inquiries (before a chargeback) resolve
 * for the merchant more often, and second rounds (pre-arbitration, arbitration) less often. The
 * table encodes that ordering; the merchant's own results replace it as they accumulate (see
 * OWN_HISTORY_MIN), so its exact numbers matter less the longer Rebuttal runs.
 */

export type Action = 'fight' | 'accept' | 'offer' | 'refund';

export interface Recommendation {
  action: Action;
  winProbability: number;
  expectedRecovery: Money;
  costs: Money;
  reasons: string[];
}

/** Chance of winning a contested chargeback with an average packet, per reason. */
export const BASE_WIN_RATES: Record<Reason, number> = {
  product_not_received: 0.45,
  duplicate: 0.4,
  credit_not_processed: 0.35,
  subscription_canceled: 0.35,
  incorrect_amount: 0.35,
  fraud: 0.3,
  product_unacceptable: 0.3,
  paid_by_other_means: 0.3,
  general: 0.25,
};

/** Added to the base rate per stage. */
export const STAGE_ADJUSTMENT: Record<Stage, number> = {
  inquiry: 0.15,
  chargeback: 0,
  pre_arbitration: -0.1,
  arbitration: -0.15,
};

/** The evidence without which a reason is rarely won: each one missing multiplies the chance by MISSING_DECISIVE_FACTOR. */
export const DECISIVE_EVIDENCE: Record<Reason, EvidenceKind[]> = {
  product_not_received: ['tracking_number', 'delivery_confirmation'],
  fraud: ['avs_cvc_match', 'three_d_secure'],
  product_unacceptable: ['product_description', 'customer_communication'],
  credit_not_processed: ['refund_policy'],
  subscription_canceled: ['cancellation_policy'],
  duplicate: ['order_details'],
  incorrect_amount: ['order_details'],
  paid_by_other_means: ['order_details'],
  general: ['order_details'],
};

export const MISSING_DECISIVE_FACTOR = 0.6;
/** Completeness 0 → ×0.4, 0.5 → ×0.8, 1 → ×1.2 of the base rate. */
export const completenessFactor = (completeness: number) => 0.4 + 0.8 * Math.min(1, Math.max(0, completeness));
/** Decided disputes (won + lost) of this reason and provider before the merchant's own rate counts. */
export const OWN_HISTORY_MIN = 20;
/** The own rate's weight grows with its count: n / (n + OWN_HISTORY_PRIOR), at most OWN_HISTORY_MAX_WEIGHT. */
export const OWN_HISTORY_PRIOR = 20;
export const OWN_HISTORY_MAX_WEIGHT = 0.8;
const P_MIN = 0.02;
const P_MAX = 0.95;
/** An offer is worth making (where the provider has them) when fighting is not but the case is not hopeless. */
export const OFFER_FLOOR = 0.15;

export interface RecommendationInput {
  provider: Provider;
  reason: Reason;
  stage: Stage;
  amount: Money;
  completeness: number;
  missing: string[];
  /** The merchant's decided disputes of this reason and provider (accepted ones are not fights). */
  history: { won: number; lost: number };
}

export interface RecommendationSettings {
  disputeFees: Partial<Record<Provider, Money>>;
  handlingCost: Money;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const clamp = (x: number) => Math.min(P_MAX, Math.max(P_MIN, x));

/** The win probability and the words for how it was reached. */
export function winProbability(input: RecommendationInput): { p: number; reasons: string[] } {
  const reasons: string[] = [];
  const base = clamp(BASE_WIN_RATES[input.reason] + STAGE_ADJUSTMENT[input.stage]);
  reasons.push(`${input.reason.replaceAll('_', ' ')} disputes at the ${input.stage.replace('_', '-')} stage are won about ${pct(base)} of the time`);
  let p = base * completenessFactor(input.completeness);
  reasons.push(`the evidence packet is ${pct(input.completeness)} complete`);
  const missingDecisive = DECISIVE_EVIDENCE[input.reason].filter((kind) => input.missing.includes(kind));
  p *= MISSING_DECISIVE_FACTOR ** missingDecisive.length;
  if (missingDecisive.length) reasons.push(`missing what this reason is decided on: ${missingDecisive.map((k) => k.replaceAll('_', ' ')).join(', ')}`);
  p = clamp(p);
  const decided = input.history.won + input.history.lost;
  if (decided >= OWN_HISTORY_MIN) {
    const own = input.history.won / decided;
    const weight = Math.min(OWN_HISTORY_MAX_WEIGHT, decided / (decided + OWN_HISTORY_PRIOR));
    p = clamp((1 - weight) * p + weight * own);
    reasons.push(`your own record for this reason on ${input.provider}: ${input.history.won} won of ${decided} (${pct(own)}), weighted ${pct(weight)}`);
  }
  return { p: round2(p), reasons };
}

/** Fighting costs what the provider charges for it plus the staff's time, in the dispute's currency. */
function costsOf(input: RecommendationInput, settings: RecommendationSettings): { fee: number; handling: number; reasons: string[] } {
  const reasons: string[] = [];
  const inCurrency = (m: Money | undefined, what: string) => {
    if (!m || m.value === 0) return 0;
    if (m.currency === input.amount.currency) return m.value;
    reasons.push(`${what} is in ${m.currency}, the dispute in ${input.amount.currency}: not counted`);
    return 0;
  };
  return { fee: inCurrency(settings.disputeFees[input.provider], 'the dispute fee'), handling: inCurrency(settings.handlingCost, 'the handling cost'), reasons };
}

/**
 * The action with the better expected result. Fighting is worth p × amount − handling − (1 − p) ×
 * fee (the fee is kept when the fight is lost); conceding is worth 0 against that. A concession is
 * a refund for a Stripe inquiry (no chargeback yet), an offer for a PayPal inquiry that is not
 * hopeless, an acceptance otherwise.
 */
export function recommend(input: RecommendationInput, settings: RecommendationSettings): Recommendation {
  const { p, reasons } = winProbability(input);
  const { fee, handling, reasons: costReasons } = costsOf(input, settings);
  reasons.push(...costReasons);
  const currency = input.amount.currency;
  const expectedRecovery = Math.round(p * input.amount.value);
  const costs = fee + handling;
  const fightValue = expectedRecovery - handling - Math.round((1 - p) * fee);
  const say = (value: number) => formatMoney({ value, currency });
  reasons.push(`fighting is expected to recover ${say(expectedRecovery)} of ${say(input.amount.value)} and costs ${say(handling)} in handling plus a ${say(fee)} fee if lost`);

  let action: Action;
  if (fightValue > 0) {
    action = 'fight';
    reasons.push(`fight: worth ${say(fightValue)} more than conceding`);
  } else if (input.provider === 'stripe' && input.stage === 'inquiry') {
    action = 'refund';
    reasons.push('refund: a refund now closes the inquiry before it becomes a chargeback with a fee');
  } else if (input.provider === 'paypal' && input.stage === 'inquiry' && p >= OFFER_FLOOR) {
    action = 'offer';
    reasons.push('offer: a partial refund through PayPal resolves it for less than the full amount');
  } else {
    action = 'accept';
    reasons.push(`accept: fighting is expected to cost ${say(-fightValue)} more than it brings back`);
  }
  return { action, winProbability: p, expectedRecovery: { value: expectedRecovery, currency }, costs: { value: costs, currency }, reasons };
}
