import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ZodError } from 'zod';
import { isIgnored } from '../../src/disputes/facts';
import { DISPUTE_STATUSES, REASONS, STAGES } from '../../src/disputes/model';
import { PROVIDER_NAMES, providerModule } from '../../src/providers';
import { PAYPAL_OUTCOMES, PAYPAL_REASONS, PAYPAL_STAGES, PAYPAL_STATUSES } from '../../src/providers/paypal/mappings';
import { normalizePaypal, PaypalDispute, paypalDisputeFacts } from '../../src/providers/paypal/normalize';
import { SQUARE_REASONS, SQUARE_STATES } from '../../src/providers/square/mappings';
import { normalizeSquare } from '../../src/providers/square/normalize';
import { STRIPE_REASONS, STRIPE_STATUSES } from '../../src/providers/stripe/mappings';
import { normalizeStripe } from '../../src/providers/stripe/normalize';
import { fixtureJson } from '../support/fixtures';
import { eventFixtures, factsOf, providerOfScenario, scenarioFiles, scenarios } from '../support/normalize';

/** The shared samples live beside the repository (or beside the folder of worktrees holding it), when present. */
function findSamples(dir: string): string | undefined {
  const candidate = path.join(dir, 'shared', 'samples');
  if (existsSync(candidate)) return candidate;
  return path.dirname(dir) === dir ? undefined : findSamples(path.dirname(dir));
}
const SAMPLES = findSamples(path.resolve(__dirname, '..', '..', '..'));

describe('normalizers: provider payload → canonical facts', () => {
  const everyFixture = PROVIDER_NAMES.flatMap((provider) => eventFixtures(provider).map((file) => [provider, file] as const));

  it.each(everyFixture)('%s %s normalizes into canonical values', (provider, file) => {
    const facts = factsOf(provider, file);
    expect(facts.provider).toBe(provider);
    expect(facts.providerDisputeId).toMatch(/\S/);
    if (facts.reason) expect(REASONS).toContain(facts.reason);
    if (facts.status) expect(DISPUTE_STATUSES).toContain(facts.status);
    if (facts.stage) expect(STAGES).toContain(facts.stage);
    expect(facts.unknownValues).toEqual([]);
    expect(Number.isFinite(facts.order)).toBe(true);
  });

  const everyScenarioFile = scenarios().flatMap((scenario) => scenarioFiles(scenario).map((file) => [providerOfScenario(scenario), file] as const));

  it.each(everyScenarioFile)('%s %s normalizes, and its scenario is one dispute', (provider, file) => {
    const facts = factsOf(provider, file);
    const first = factsOf(provider, scenarioFiles(file.split('/')[1]!)[0]!);
    expect(facts).toMatchObject({ provider, providerDisputeId: first.providerDisputeId, unknownValues: [] });
  });

  it('reads what the PayPal API answers for a dispute (fixtures/paypal/api) as complete facts', () => {
    const answer = PaypalDispute.parse(fixtureJson('paypal/api/get-dispute.PP-D-21903.json'));
    expect(paypalDisputeFacts(answer, '2026-11-12T14:05:11Z')).toMatchObject({
      providerDisputeId: 'PP-D-21903',
      amount: { value: 8950, currency: 'USD' },
      dueBy: '2026-12-02T14:05:11.000Z',
      status: 'needs_response',
      unknownValues: [],
    });
  });

  const sharedSamples = SAMPLES
    ? PROVIDER_NAMES.flatMap((provider) => readdirSync(path.join(SAMPLES, provider)).filter((f) => f.endsWith('.json')).map((f) => [provider, f] as const))
    : [];
  (sharedSamples.length ? it.each(sharedSamples) : it.skip.each([['stripe', 'none'] as const]))(
    'the shared sample %s/%s normalizes into the same facts as its fixture copy',
    (provider, file) => {
      const normalized = providerModule(provider).normalize(JSON.parse(readFileSync(path.join(SAMPLES!, provider, file), 'utf8')));
      expect(isIgnored(normalized)).toBe(false);
      expect(normalized).toEqual(factsOf(provider, `${provider}/${file}`));
    },
  );

  it.each(['dispute.created', 'dispute.state.updated', 'dispute.state.changed', 'dispute.evidence.created', 'dispute.evidence.added', 'dispute.evidence.deleted', 'dispute.evidence.removed'])(
    'reads a Square %s event, with the dispute at data.object.object or data.object.dispute',
    (type) => {
      const event = fixtureJson<any>('square/dispute.evidence.created.json');
      event.type = type;
      expect(normalizeSquare(event)).toMatchObject({ providerDisputeId: 'XDgyFu7yo1E2S5lQGGpYn', order: 2, status: 'needs_response' });
      event.data.object = { dispute: event.data.object.object };
      expect(normalizeSquare(event)).toMatchObject({ providerDisputeId: 'XDgyFu7yo1E2S5lQGGpYn', order: 2 });
    },
  );

  it.each(['charge.dispute.created', 'charge.dispute.updated', 'charge.dispute.closed', 'charge.dispute.funds_withdrawn', 'charge.dispute.funds_reinstated'])(
    'reads a Stripe %s event, ordered by event.created',
    (type) => {
      const event = fixtureJson<any>('stripe/charge.dispute.updated.json');
      event.type = type;
      expect(normalizeStripe(event)).toMatchObject({ providerDisputeId: 'du_1QkZr9LzW8xYp1Aa5bHc2mPq', order: event.created, status: 'under_review' });
    },
  );

  it.each(['CUSTOMER.DISPUTE.CREATED', 'CUSTOMER.DISPUTE.UPDATED', 'CUSTOMER.DISPUTE.RESOLVED', 'RISK.DISPUTE.CREATED'])(
    'reads a PayPal %s event, ordered by the resource update_time',
    (type) => {
      const event = fixtureJson<any>('paypal/CUSTOMER.DISPUTE.UPDATED.json');
      event.event_type = type;
      expect(normalizePaypal(event)).toMatchObject({ providerDisputeId: 'PP-D-21847', order: Date.parse(event.resource.update_time) });
    },
  );

  it('reads Stripe amounts in minor units with the currency upper-cased: USD, JPY (0 decimals), KWD (3)', () => {
    expect(factsOf('stripe', 'stripe/charge.dispute.created.json').amount).toEqual({ value: 4599, currency: 'USD' });
    expect(factsOf('stripe', 'stripe/charge.dispute.created.jpy.json').amount).toEqual({ value: 5000, currency: 'JPY' });
    expect(factsOf('stripe', 'stripe/charge.dispute.created.kwd.json').amount).toEqual({ value: 1234, currency: 'KWD' });
  });

  it("splits PayPal's decimal strings by the currency's ISO exponent: \"45.99\" USD, \"5000\" JPY, \"1.234\" KWD", () => {
    expect(factsOf('paypal', 'paypal/CUSTOMER.DISPUTE.CREATED.json').amount).toEqual({ value: 4599, currency: 'USD' });
    expect(factsOf('paypal', 'paypal/CUSTOMER.DISPUTE.CREATED.jpy.json').amount).toEqual({ value: 5000, currency: 'JPY' });
    const kwd = fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.json');
    kwd.resource.dispute_amount = { currency_code: 'KWD', value: '1.234' };
    expect((normalizePaypal(kwd) as any).amount).toEqual({ value: 1234, currency: 'KWD' });
  });

  it('reads Square amounts in minor units for USD, JPY and KWD', () => {
    expect(factsOf('square', 'square/dispute.created.json').amount).toEqual({ value: 6350, currency: 'USD' });
    for (const [currency, amount] of [['JPY', 5000], ['KWD', 1234]] as const) {
      const event = fixtureJson<any>('square/dispute.created.json');
      event.data.object.object.amount_money = { amount, currency };
      expect((normalizeSquare(event) as any).amount).toEqual({ value: amount, currency });
    }
  });

  it('takes deadlines as UTC instants from due_by, seller_response_due_date and due_at', () => {
    expect(factsOf('stripe', 'stripe/charge.dispute.created.json').dueBy).toBe(new Date(1795356311 * 1000).toISOString());
    const paypal = fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.json');
    paypal.resource.seller_response_due_date = '2026-11-23T23:59:59.000+09:00';
    expect((normalizePaypal(paypal) as any).dueBy).toBe('2026-11-23T14:59:59.000Z');
    expect(factsOf('square', 'square/dispute.created.json').dueBy).toBe('2026-11-20T14:05:11.000Z');
  });

  it('leaves what a partial PayPal payload lacks undefined, so the record can be completed from the API', () => {
    const facts = factsOf('paypal', 'paypal/CUSTOMER.DISPUTE.CREATED.partial.json');
    expect(facts.amount).toBeUndefined();
    expect(facts.dueBy).toBeUndefined();
    expect(facts.providerPaymentId).toBe('9XG48116JM6629204');
  });

  it('accepts the Square dispute at data.object.object and at data.object.dispute', () => {
    expect(factsOf('square', 'square/dispute.created.no_knowledge.json').providerDisputeId).toBe('Qw8pEuT3nZ5yR1xVbK2mLs');
    expect(factsOf('square', 'square/dispute.state.changed.lost.json')).toMatchObject({ providerDisputeId: 'Qw8pEuT3nZ5yR1xVbK2mLs', status: 'lost', outcome: 'lost' });
  });

  it.each(['radar.early_fraud_warning.created', 'radar.early_fraud_warning.updated'])('records a Stripe %s as ignored, not as a dispute', (type) => {
    const warning = { id: 'evt_efw', object: 'event', type, created: 1793628311, data: { object: { id: 'issfr_1', object: 'radar.early_fraud_warning' } } };
    expect(normalizeStripe(warning)).toEqual({ ignored: expect.stringContaining('early fraud warning') });
  });

  it('maps values no table knows to general / keeps the status, and reports them', () => {
    const event = fixtureJson<any>('stripe/charge.dispute.created.json');
    event.data.object.reason = 'brand_new_reason';
    event.data.object.status = 'brand_new_status';
    const facts = normalizeStripe(event) as any;
    expect(facts).toMatchObject({ reason: 'general', providerReason: 'brand_new_reason', status: undefined, providerStatus: 'brand_new_status' });
    expect(facts.unknownValues).toEqual(['status brand_new_status', 'reason brand_new_reason']);
  });

  it('throws a readable schema error for a payload of an unknown shape', () => {
    const event = fixtureJson<any>('stripe/charge.dispute.created.json');
    event.data.object.amount = 'forty-five';
    expect(() => normalizeStripe(event)).toThrow(ZodError);
  });
});

describe('mapping tables cover every provider value', () => {
  const canonicalReasons = new Set<string>(REASONS);
  it.each([
    ['Stripe reasons', STRIPE_REASONS, ['fraudulent', 'unrecognized', 'product_not_received', 'product_unacceptable', 'credit_not_processed', 'duplicate', 'subscription_canceled', 'general', 'bank_cannot_process', 'check_returned', 'customer_initiated', 'debit_not_authorized', 'incorrect_account_details', 'insufficient_funds', 'noncompliant']],
    ['PayPal reasons', PAYPAL_REASONS, ['UNAUTHORISED', 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', 'MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED', 'CREDIT_NOT_PROCESSED', 'DUPLICATE_TRANSACTION', 'CANCELED_RECURRING_BILLING', 'INCORRECT_AMOUNT', 'PAYMENT_BY_OTHER_MEANS', 'PROBLEM_WITH_REMITTANCE', 'OTHER']],
    ['Square reasons', SQUARE_REASONS, ['NO_KNOWLEDGE', 'EMV_LIABILITY_SHIFT', 'NOT_RECEIVED', 'NOT_AS_DESCRIBED', 'CUSTOMER_REQUESTS_CREDIT', 'DUPLICATE', 'CANCELLED', 'AMOUNT_DIFFERS', 'PAID_BY_OTHER_MEANS']],
  ])('%s: every documented value maps to a canonical reason', (_name, table, documented) => {
    expect(Object.keys(table).sort()).toEqual([...documented].sort());
    for (const reason of Object.values(table)) expect(canonicalReasons.has(reason)).toBe(true);
  });

  it('Stripe statuses map as PROVIDERS.md §3 says', () => {
    expect(STRIPE_STATUSES).toEqual({
      warning_needs_response: { status: 'needs_response', stage: 'inquiry' },
      warning_under_review: { status: 'under_review', stage: 'inquiry' },
      warning_closed: { status: 'closed', stage: 'inquiry' },
      needs_response: { status: 'needs_response', stage: 'chargeback' },
      under_review: { status: 'under_review', stage: 'chargeback' },
      won: { status: 'won' },
      lost: { status: 'lost' },
      prevented: { status: 'closed' },
      appeal_needs_response: { status: 'needs_response', stage: 'pre_arbitration' },
      appeal_under_review: { status: 'under_review', stage: 'pre_arbitration' },
    });
  });

  it('PayPal statuses, stages and outcomes map as PROVIDERS.md §3 says', () => {
    expect(PAYPAL_STATUSES).toEqual({ OPEN: 'needs_response', WAITING_FOR_SELLER_RESPONSE: 'needs_response', WAITING_FOR_BUYER_RESPONSE: 'under_review', UNDER_REVIEW: 'under_review', RESOLVED: undefined, OTHER: undefined });
    expect(PAYPAL_STAGES).toEqual({ INQUIRY: 'inquiry', CHARGEBACK: 'chargeback', PRE_ARBITRATION: 'pre_arbitration', ARBITRATION: 'arbitration' });
    expect(Object.fromEntries(Object.entries(PAYPAL_OUTCOMES).map(([k, v]) => [k, v.status]))).toEqual({
      RESOLVED_SELLER_FAVOUR: 'won', RESOLVED_BUYER_FAVOUR: 'lost', ACCEPTED: 'accepted', CANCELED_BY_BUYER: 'closed', RESOLVED_WITH_PAYOUT: 'closed', DENIED: 'closed', NONE: 'closed',
    });
  });

  it('Square states map as PROVIDERS.md §3 says', () => {
    expect(Object.fromEntries(Object.entries(SQUARE_STATES).map(([k, v]) => [k, `${v.status}/${v.stage ?? 'keep'}`]))).toEqual({
      INQUIRY_EVIDENCE_REQUIRED: 'needs_response/inquiry', INQUIRY_PROCESSING: 'under_review/inquiry', INQUIRY_CLOSED: 'closed/inquiry',
      EVIDENCE_REQUIRED: 'needs_response/chargeback', PROCESSING: 'under_review/chargeback', WON: 'won/keep', LOST: 'lost/keep', ACCEPTED: 'accepted/keep',
    });
  });
});
