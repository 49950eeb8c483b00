import { BASE_WIN_RATES, recommend, winProbability, type RecommendationInput } from '../../src/resolution/recommend';

const SETTINGS = {
  disputeFees: { stripe: { value: 1500, currency: 'USD' }, paypal: { value: 2000, currency: 'USD' }, square: { value: 0, currency: 'USD' } },
  handlingCost: { value: 1000, currency: 'USD' },
};

const usd = (value: number) => ({ value, currency: 'USD' });
const NO_HISTORY = { won: 0, lost: 0 };

/** Expected recovery is the shown (rounded) p × amount. p = clamp(base[reason] + stage) × (0.4 + 0.8 × completeness) × 0.6 per missing decisive kind, blended with an own rate of ≥ 20 decided. */
const CASES: Array<[string, RecommendationInput, { action: string; winProbability: number; expectedRecovery: number; costs: number }]> = [
  [
    '$9 card fraud, no AVS/CVC or 3-D Secure: not worth a $15 fee and the staff time',
    { provider: 'stripe', reason: 'fraud', stage: 'chargeback', amount: usd(900), completeness: 0.3, missing: ['avs_cvc_match', 'three_d_secure', 'purchase_ip'], history: NO_HISTORY },
    // 0.30 × 0.64 × 0.6² = 0.069
    { action: 'accept', winProbability: 0.07, expectedRecovery: 63, costs: 2500 },
  ],
  [
    '$250 not received with tracking, delivery and matching address: fight',
    { provider: 'stripe', reason: 'product_not_received', stage: 'chargeback', amount: usd(25000), completeness: 0.9, missing: ['tracking_history'], history: NO_HISTORY },
    // 0.45 × 1.12 = 0.504
    { action: 'fight', winProbability: 0.5, expectedRecovery: 12500, costs: 2500 },
  ],
  [
    '$30 Stripe inquiry without the order: refund before it becomes a chargeback',
    { provider: 'stripe', reason: 'general', stage: 'inquiry', amount: usd(3000), completeness: 0, missing: ['order_details', 'customer_communication', 'refund_policy'], history: NO_HISTORY },
    // (0.25 + 0.15) × 0.4 × 0.6 = 0.096
    { action: 'refund', winProbability: 0.1, expectedRecovery: 300, costs: 2500 },
  ],
  [
    '$30 PayPal inquiry, not as described, half the evidence: offer a partial refund',
    { provider: 'paypal', reason: 'product_unacceptable', stage: 'inquiry', amount: usd(3000), completeness: 0.6, missing: ['refund_policy', 'delivery_confirmation'], history: NO_HISTORY },
    // (0.30 + 0.15) × 0.88 = 0.396
    { action: 'offer', winProbability: 0.4, expectedRecovery: 1200, costs: 3000 },
  ],
  [
    '$89.50 PayPal inquiry, not as described, same evidence: worth fighting',
    { provider: 'paypal', reason: 'product_unacceptable', stage: 'inquiry', amount: usd(8950), completeness: 0.6, missing: ['refund_policy', 'delivery_confirmation'], history: NO_HISTORY },
    { action: 'fight', winProbability: 0.4, expectedRecovery: 3580, costs: 3000 },
  ],
  [
    '$120 arbitration on a subscription without the cancellation policy: accept',
    { provider: 'square', reason: 'subscription_canceled', stage: 'arbitration', amount: usd(12000), completeness: 0.3, missing: ['cancellation_policy', 'order_details'], history: NO_HISTORY },
    // (0.35 − 0.15) × 0.64 × 0.6 = 0.077; Square charges no fee, handling alone outweighs 0.08 × $120
    { action: 'accept', winProbability: 0.08, expectedRecovery: 960, costs: 1000 },
  ],
  [
    '$100 fraud, complete packet, and the merchant wins 30 of 40 such disputes: their record lifts it',
    { provider: 'stripe', reason: 'fraud', stage: 'chargeback', amount: usd(10000), completeness: 1, missing: [], history: { won: 30, lost: 10 } },
    // model 0.36, own 0.75 weighted 40/60: 0.333 × 0.36 + 0.667 × 0.75 = 0.62
    { action: 'fight', winProbability: 0.62, expectedRecovery: 6200, costs: 2500 },
  ],
  [
    '$100 fraud, complete packet, 19 decided: too few to count, the table alone decides',
    { provider: 'stripe', reason: 'fraud', stage: 'chargeback', amount: usd(10000), completeness: 1, missing: [], history: { won: 19, lost: 0 } },
    { action: 'fight', winProbability: 0.36, expectedRecovery: 3600, costs: 2500 },
  ],
];

describe('recommend: fight, accept, offer or refund from a documented table', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    const result = recommend(input, SETTINGS);
    expect({ action: result.action, winProbability: result.winProbability, expectedRecovery: result.expectedRecovery.value, costs: result.costs.value }).toEqual(expected);
    expect(result.expectedRecovery.currency).toBe('USD');
    expect(result.reasons.length).toBeGreaterThanOrEqual(3);
    expect(result.reasons.at(-1)).toMatch(new RegExp(`^${result.action}: `));
  });

  it('says why in words: base rate, completeness, the decisive evidence missing, the money', () => {
    const { reasons } = recommend(CASES[0]![1], SETTINGS);
    expect(reasons).toEqual([
      'fraud disputes at the chargeback stage are won about 30% of the time',
      'the evidence packet is 30% complete',
      'missing what this reason is decided on: avs cvc match, three d secure',
      'fighting is expected to recover $0.63 of $9.00 and costs $10.00 in handling plus a $15.00 fee if lost',
      'accept: fighting is expected to cost $23.32 more than it brings back',
    ]);
  });

  it('a tracking number on a not-received dispute moves it from accept to fight', () => {
    const before: RecommendationInput = { provider: 'stripe', reason: 'product_not_received', stage: 'chargeback', amount: usd(8950), completeness: 0.1, missing: ['tracking_number', 'shipping_carrier', 'delivery_confirmation', 'delivery_address_match', 'proof_of_delivery', 'tracking_history'], history: NO_HISTORY };
    // The carrier's tracking shows it delivered to the order's address; no signature, no messages.
    const after: RecommendationInput = { ...before, completeness: 0.75, missing: ['proof_of_delivery', 'customer_communication'] };
    expect(recommend(before, SETTINGS).action).toBe('accept');
    expect(recommend(after, SETTINGS).action).toBe('fight');
  });

  it('fees and handling in another currency than the dispute are not counted, and it says so', () => {
    const result = recommend({ ...CASES[1]![1], amount: { value: 25000, currency: 'EUR' } }, SETTINGS);
    expect(result.costs).toEqual({ value: 0, currency: 'EUR' });
    expect(result.reasons).toContain('the dispute fee is in USD, the dispute in EUR: not counted');
  });

  it('every reason has a base rate, and later stages are never more winnable than earlier ones', () => {
    for (const reason of Object.keys(BASE_WIN_RATES) as Array<keyof typeof BASE_WIN_RATES>) {
      const at = (stage: RecommendationInput['stage']) => winProbability({ provider: 'stripe', reason, stage, amount: usd(1000), completeness: 0.5, missing: [], history: NO_HISTORY }).p;
      expect(at('inquiry')).toBeGreaterThanOrEqual(at('chargeback'));
      expect(at('chargeback')).toBeGreaterThanOrEqual(at('pre_arbitration'));
      expect(at('pre_arbitration')).toBeGreaterThanOrEqual(at('arbitration'));
    }
  });
});
