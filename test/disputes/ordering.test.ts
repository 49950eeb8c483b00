import fc from 'fast-check';
import type { DisputeFacts } from '../../src/disputes/facts';
import { STAGES, type DisputeStatus, type Stage } from '../../src/disputes/model';
import { applyFact, type DisputeState } from '../../src/disputes/ordering';
import { factsOf } from '../support/normalize';

const fold = (facts: DisputeFacts[]) => facts.reduce<DisputeState | undefined>((state, fact) => applyFact(state, fact).state, undefined);

const STORIES: Record<string, DisputeFacts[]> = {
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
    const statuses: Array<[DisputeStatus, Stage]> = [
      ['needs_response', 'inquiry'], ['under_review', 'inquiry'], ['needs_response', 'chargeback'], ['under_review', 'chargeback'],
      ['won', 'chargeback'], ['lost', 'chargeback'], ['needs_response', 'pre_arbitration'], ['under_review', 'pre_arbitration'], ['lost', 'pre_arbitration'],
    ];
    const story = fc
      .array(fc.tuple(fc.constantFrom(...statuses), fc.integer({ min: 1, max: 30 }), fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined })), { minLength: 1, maxLength: 7 })
      .map((steps) =>
        steps.map(([[status, stage], day, dueDay], i): DisputeFacts => ({
          provider: 'square',
          providerDisputeId: 'gen',
          providerPaymentId: 'pay_gen',
          amount: { value: 1000, currency: 'USD' },
          reason: 'fraud',
          providerReason: 'NO_KNOWLEDGE',
          status,
          providerStatus: `${status}:${stage}`,
          stage,
          outcome: status === 'won' || status === 'lost' ? status : undefined,
          dueBy: dueDay === undefined ? undefined : new Date(Date.UTC(2026, 10, dueDay + 1)).toISOString(),
          openedAt: '2026-11-01T00:00:00.000Z',
          occurredAt: new Date(Date.UTC(2026, 10, 1, i, day)).toISOString(),
          order: i + 1,
          unknownValues: [],
        })),
      );
    fc.assert(
      fc.property(story.chain((s) => fc.tuple(fc.constant(s), deliveries(s))), ([ordered, delivered]) => {
        expect(fold(delivered)).toEqual(fold(ordered));
      }),
      { numRuns: 500 },
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

  it('an older full event fills what a newer partial one lacked', () => {
    const partial: DisputeFacts = { ...updated!, amount: undefined, providerPaymentId: undefined };
    expect(applyFact(applyFact(undefined, partial).state, created!).state.amount).toEqual({ value: 4599, currency: 'USD' });
  });
});
