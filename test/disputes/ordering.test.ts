import fc from 'fast-check';
import type { DisputeFacts } from '../../src/disputes/facts';
import { STAGES, type DisputeStatus, type Stage } from '../../src/disputes/model';
import { applyFact, type DisputeState } from '../../src/disputes/ordering';
import { normalizeStripe } from '../../src/providers/stripe/normalize';
import { fixtureJson } from '../support/fixtures';
import { factsOf, scenarioFacts, scenarios } from '../support/normalize';

const fold = (facts: DisputeFacts[]) => facts.reduce<DisputeState | undefined>((state, fact) => applyFact(state, fact).state, undefined);

/** A Stripe fixture event with its dispute's status and the event's time changed. */
function stripeAt(file: string, status: string, created: number): DisputeFacts {
  const event = fixtureJson<any>(`stripe/${file}`);
  event.created = created;
  event.data.object.status = status;
  return normalizeStripe(event) as DisputeFacts;
}

const lostThenAppealed = (() => {
  const created = factsOf('stripe', 'stripe/charge.dispute.created.fraudulent.json');
  const t = created.order;
  return [
    created,
    stripeAt('charge.dispute.closed.lost.json', 'lost', t + 100),
    stripeAt('charge.dispute.updated.json', 'appeal_needs_response', t + 200),
    stripeAt('charge.dispute.updated.json', 'appeal_under_review', t + 300),
    stripeAt('charge.dispute.closed.lost.json', 'lost', t + 400),
  ].map((f) => ({ ...f, providerDisputeId: created.providerDisputeId }));
})();

const STORIES: Record<string, DisputeFacts[]> = {
  ...Object.fromEntries(scenarios().map((scenario) => [`scenario ${scenario}`, scenarioFacts(scenario)])),
  'Stripe: lost, appealed to pre-arbitration, lost again (won/lost name no stage)': lostThenAppealed,
  'Stripe: inquiry closed in the merchant\'s favour (won names no stage)': [
    factsOf('stripe', 'stripe/charge.dispute.created.inquiry.json'),
    stripeAt('charge.dispute.created.inquiry.json', 'won', factsOf('stripe', 'stripe/charge.dispute.created.inquiry.json').order + 50),
  ],
  'Stripe: opened, funds withdrawn, evidence in, won, funds back': [
    'charge.dispute.created.json', 'charge.dispute.funds_withdrawn.json', 'charge.dispute.updated.json',
    'charge.dispute.closed.won.json', 'charge.dispute.funds_reinstated.json',
  ].map((f) => factsOf('stripe', `stripe/${f}`)),
  'Stripe: fraud, never answered, lost': ['charge.dispute.created.fraudulent.json', 'charge.dispute.closed.lost.json'].map((f) => factsOf('stripe', `stripe/${f}`)),
  'PayPal: inquiry, escalated to chargeback, won': ['CUSTOMER.DISPUTE.CREATED.json', 'CUSTOMER.DISPUTE.UPDATED.json', 'CUSTOMER.DISPUTE.RESOLVED.json'].map((f) => factsOf('paypal', `paypal/${f}`)),
  'Square: opened, evidence added, processing, won': ['dispute.created.json', 'dispute.evidence.created.json', 'dispute.state.updated.processing.json', 'dispute.state.updated.won.json'].map((f) => factsOf('square', `square/${f}`)),
  'Square: fraud, lost (older event name)': ['dispute.created.no_knowledge.json', 'dispute.state.changed.lost.json'].map((f) => factsOf('square', `square/${f}`)),
};

/** Any order of the story's events, each at least once, some twice or more. */
const deliveries = (story: DisputeFacts[]) =>
  fc
    .tuple(fc.shuffledSubarray(story, { minLength: story.length }), fc.array(fc.tuple(fc.constantFrom(...story), fc.nat()), { maxLength: 6 }))
    .map(([permutation, extras]) => {
      const out = [...permutation];
      for (const [fact, position] of extras) out.splice(position % (out.length + 1), 0, fact);
      return out;
    });

describe('applyFact: a provider event never moves a dispute backwards', () => {
  it.each(Object.entries(STORIES))('%s: any permutation with duplicates ends where the ordered sequence does', (_story, story) => {
    const expected = fold(story);
    fc.assert(fc.property(deliveries(story), (delivered) => expect(fold(delivered)).toEqual(expected)), { numRuns: 300 });
  });

  it('generated stories of one dispute converge whatever the order of delivery', () => {
    // Statuses with and without a stage (Stripe won/lost, Square WON name none), facts whose status
    // no table knows, partial facts, and ordering keys that tie (Stripe's event.created is in seconds).
    const statuses: Array<[DisputeStatus | undefined, Stage | undefined]> = [
      ['needs_response', 'inquiry'], ['under_review', 'inquiry'], ['closed', 'inquiry'], ['needs_response', 'chargeback'], ['under_review', 'chargeback'],
      ['won', undefined], ['lost', undefined], ['closed', undefined], ['won', 'chargeback'], ['accepted', 'chargeback'],
      ['needs_response', 'pre_arbitration'], ['under_review', 'pre_arbitration'], ['lost', 'pre_arbitration'], ['needs_response', 'arbitration'],
      ['needs_response', undefined], ['under_review', undefined], [undefined, undefined], [undefined, 'chargeback'],
    ];
    const step = fc.record({
      lifecycle: fc.constantFrom(...statuses),
      order: fc.integer({ min: 1, max: 8 }),
      dueDay: fc.option(fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }), { nil: undefined }),
      amount: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      minute: fc.integer({ min: 0, max: 59 }),
    });
    const story = fc.array(step, { minLength: 1, maxLength: 8 }).map((steps) =>
      steps.map(({ lifecycle: [status, stage], order, dueDay, amount, minute }): DisputeFacts => ({
        provider: 'square',
        providerDisputeId: 'gen',
        providerPaymentId: 'pay_gen',
        amount: amount === undefined ? undefined : { value: amount * 1000, currency: 'USD' },
        reason: 'fraud',
        providerReason: 'NO_KNOWLEDGE',
        status,
        providerStatus: status ? `${status}:${stage ?? 'keep'}` : 'SOMETHING_NEW',
        stage,
        outcome: status === 'won' || status === 'lost' || status === 'accepted' ? status : undefined,
        dueBy: dueDay === undefined ? undefined : dueDay === null ? null : new Date(Date.UTC(2026, 10, dueDay + 1)).toISOString(),
        openedAt: '2026-11-01T00:00:00.000Z',
        occurredAt: new Date(Date.UTC(2026, 10, 1, order, minute)).toISOString(),
        order,
        unknownValues: status ? [] : ['state SOMETHING_NEW'],
      })),
    );
    fc.assert(
      fc.property(story.chain((s) => fc.tuple(fc.constant(s), deliveries(s))), ([ordered, delivered]) => {
        expect(fold(delivered)).toEqual(fold(ordered));
      }),
      { numRuns: 1000 },
    );
  });

  const [created, withdrawn, updated, won] = STORIES['Stripe: opened, funds withdrawn, evidence in, won, funds back']!;

  it('a late update after the outcome is skipped and the outcome sticks', () => {
    const result = applyFact(fold([created!, won!]), updated!);
    expect(result).toMatchObject({ applied: false, note: 'skipped: the dispute is already won', changes: [] });
    expect(result.state).toMatchObject({ status: 'won', outcome: 'won' });
  });

  it('an update that arrives before its create opens the dispute from the update', () => {
    const result = applyFact(undefined, updated!);
    expect(result).toMatchObject({ applied: true, changes: ['opened'], state: { status: 'under_review', providerDisputeId: created!.providerDisputeId } });
    expect(applyFact(result.state, created!)).toMatchObject({ applied: false });
  });

  it('reports the changes listeners act on: opened, deadline changed, closed', () => {
    const opened = applyFact(undefined, created!);
    expect(opened.changes).toEqual(['opened']);
    const moved = applyFact(opened.state, { ...withdrawn!, dueBy: '2026-12-24T00:00:00.000Z' });
    expect(moved.changes).toEqual(['deadline_changed']);
    expect(applyFact(moved.state, won!).changes).toEqual(['closed']);
  });

  it('a later stage reopens a lost dispute (pre-arbitration), an earlier one does not', () => {
    const lost = fold([created!, { ...won!, status: 'lost', outcome: 'lost', providerStatus: 'lost' }])!;
    const appeal = applyFact(lost, { ...won!, order: won!.order + 100, status: 'needs_response', stage: 'pre_arbitration', outcome: undefined, providerStatus: 'appeal_needs_response' });
    expect(appeal).toMatchObject({ applied: true, state: { status: 'needs_response', stage: 'pre_arbitration', outcome: null, closedAt: null } });
    expect(applyFact(lost, { ...updated!, order: won!.order + 100 })).toMatchObject({ changes: [], state: { status: 'lost', outcome: 'lost' } });
    expect(STAGES.indexOf('pre_arbitration')).toBeGreaterThan(STAGES.indexOf('chargeback'));
  });

  it('a dispute lost at pre-arbitration stays lost whichever of its events came first', () => {
    const [created, , appealed, , lostAgain] = lostThenAppealed;
    const endings = [[created!, appealed!, lostAgain!], [lostAgain!, appealed!, created!], [lostAgain!, created!, appealed!]].map(fold);
    for (const ending of endings) {
      expect(ending).toMatchObject({ status: 'lost', stage: 'pre_arbitration', outcome: 'lost', providerStatus: 'lost', closedAt: lostAgain!.occurredAt });
    }
  });

  it('an outcome that names no stage closes the stage the dispute was in at that moment', () => {
    const inquiry = factsOf('stripe', 'stripe/charge.dispute.created.inquiry.json');
    const won = stripeAt('charge.dispute.created.inquiry.json', 'won', inquiry.order + 50);
    expect(fold([won, inquiry])).toMatchObject({ status: 'won', stage: 'inquiry' });
    expect(fold([inquiry, won])).toMatchObject({ status: 'won', stage: 'inquiry' });
  });

  it('a status no table knows keeps the status the dispute has, whatever came before or after it', () => {
    const review = factsOf('stripe', 'stripe/charge.dispute.updated.json');
    const unknown: DisputeFacts = { ...review, order: review.order + 10, status: undefined, stage: undefined, providerStatus: 'brand_new_status' };
    for (const delivered of [[created!, review, unknown], [created!, unknown, review], [unknown, review, created!]]) {
      expect(fold(delivered)).toMatchObject({ status: 'under_review', providerStatus: 'under_review' });
    }
    expect(applyFact(fold([created!, review]), unknown)).toMatchObject({
      note: 'applied (status brand_new_status is unknown: the dispute stays under_review)',
      state: { status: 'under_review' },
    });
  });

  it('an older full event fills what a newer partial one lacked', () => {
    const partial: DisputeFacts = { ...updated!, amount: undefined, providerPaymentId: undefined };
    expect(applyFact(applyFact(undefined, partial).state, created!).state.amount).toEqual({ value: 4599, currency: 'USD' });
  });
});
