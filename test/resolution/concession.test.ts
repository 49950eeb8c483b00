import type { DisputeFacts } from '../../src/disputes/facts';
import { applyFact, type DisputeState } from '../../src/disputes/ordering';
import { PaypalDispute, paypalDisputeFacts } from '../../src/providers/paypal/normalize';
import { fixtureJson } from '../support/fixtures';

const fact = (overrides: Partial<DisputeFacts>): DisputeFacts => ({
  provider: 'stripe',
  providerDisputeId: 'du_concede',
  providerPaymentId: 'ch_concede',
  amount: { value: 900, currency: 'USD' },
  reason: 'fraud',
  providerReason: 'fraudulent',
  occurredAt: '2026-11-20T10:00:00.000Z',
  order: 100,
  unknownValues: [],
  ...overrides,
});

const fold = (facts: DisputeFacts[]) => facts.reduce<DisputeState | undefined>((state, f) => applyFact(state, f).state, undefined)!;

describe('a concession is not a fight lost', () => {
  const opened = fact({ status: 'needs_response', stage: 'chargeback', providerStatus: 'needs_response', dueBy: '2026-12-01T00:00:00.000Z' });
  const conceded = fact({ status: 'accepted', stage: 'chargeback', providerStatus: 'needs_response', outcome: 'accepted', occurredAt: '2026-11-21T09:00:00.000Z', order: 100 });
  const lostLater = fact({ status: 'lost', providerStatus: 'lost', outcome: 'lost', occurredAt: '2026-11-21T10:00:00.000Z', order: 200 });

  it('our acceptance, then the provider\'s "lost" for the same stage: accepted, in any order of arrival', () => {
    for (const order of [[opened, conceded, lostLater], [opened, lostLater, conceded], [lostLater, conceded, opened]]) {
      expect(fold(order)).toMatchObject({ status: 'accepted', outcome: 'accepted', providerStatus: 'lost', closedAt: '2026-11-21T09:00:00.000Z' });
    }
  });

  it('a later stage still reopens a conceded dispute (the documented reopening)', () => {
    const reopened = fact({ status: 'needs_response', stage: 'pre_arbitration', providerStatus: 'appeal_needs_response', order: 300, occurredAt: '2026-11-25T10:00:00.000Z' });
    expect(fold([opened, conceded, lostLater, reopened])).toMatchObject({ status: 'needs_response', stage: 'pre_arbitration', outcome: null });
  });

  it('PayPal: a resolved dispute whose buyer accepted our offer is accepted, whatever the outcome code', () => {
    const resource = structuredClone(fixtureJson<any>('paypal/CUSTOMER.DISPUTE.RESOLVED.json').resource);
    resource.dispute_outcome = { outcome_code: 'RESOLVED_BUYER_FAVOUR' };
    resource.offer = { offer_type: 'REFUND', history: [{ actor: 'SELLER', event_type: 'PROPOSED', offer_type: 'REFUND' }, { actor: 'BUYER', event_type: 'ACCEPTED', offer_type: 'REFUND' }] };
    const facts = paypalDisputeFacts(PaypalDispute.parse(resource), resource.update_time);
    expect(facts).toMatchObject({ status: 'accepted', outcome: 'accepted' });
    delete resource.offer;
    expect(paypalDisputeFacts(PaypalDispute.parse(resource), resource.update_time)).toMatchObject({ status: 'lost' });
  });
});
