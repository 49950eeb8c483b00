import path from 'node:path';
import { detectProvider } from '../../src/cli/replay';
import type { BuiltInProviderName as Provider } from '../../src/providers';
import { fixtureJson } from '../support/fixtures';
import { providerOfScenario, scenarioFacts, scenarioFiles, scenarios as scenarioNames } from '../support/normalize';

/** Each scenario folder: its files in replay order, their payloads and canonical facts. */
const scenarios = scenarioNames().map((name) => {
  const provider = providerOfScenario(name);
  const files = scenarioFiles(name);
  return { name, provider, story: name.slice(provider.length + 1), files, payloads: files.map((f) => fixtureJson<Record<string, any>>(f)), facts: scenarioFacts(name) };
});

/** Envelope of each provider, as its single-event fixtures carry it. */
const envelopeOf: Record<Provider, string> = {
  stripe: 'stripe/charge.dispute.created.json',
  paypal: 'paypal/CUSTOMER.DISPUTE.CREATED.json',
  square: 'square/dispute.created.json',
};
/** The dispute fields PROVIDERS.md §2 names, which every event of a story carries. */
const disputeFields: Record<Provider, string[]> = {
  stripe: ['id', 'object', 'amount', 'currency', 'charge', 'payment_intent', 'reason', 'status', 'created', 'evidence', 'evidence_details', 'is_charge_refundable', 'network_reason_code', 'payment_method_details', 'metadata', 'livemode'],
  paypal: ['dispute_id', 'create_time', 'update_time', 'disputed_transactions', 'reason', 'status', 'dispute_amount', 'dispute_life_cycle_stage', 'dispute_channel', 'links'],
  square: ['id', 'amount_money', 'reason', 'state', 'due_at', 'disputed_payment', 'card_brand', 'created_at', 'updated_at', 'brand_dispute_id', 'reported_at', 'version', 'location_id'],
};
const disputeOf: Record<Provider, (p: Record<string, any>) => Record<string, unknown>> = {
  stripe: (p) => p.data.object,
  paypal: (p) => p.resource,
  square: (p) => p.data.object.object ?? p.data.object.dispute,
};

describe('scenario fixtures', () => {
  it('tell a won, a lost and an inquiry-to-chargeback story for each provider', () => {
    expect(scenarios.map((s) => s.name).sort()).toEqual(
      ['stripe', 'paypal', 'square'].flatMap((p) => ['inquiry-to-chargeback', 'lost', 'won'].map((story) => `${p}-${story}`)).sort(),
    );
  });

  describe.each(scenarios)('$name', ({ provider, story, files, payloads, facts }) => {
    it('are events of one provider, with distinct event ids, numbered in order', () => {
      expect(payloads.map((p) => detectProvider(p)?.name)).toEqual(payloads.map(() => provider));
      const ids = payloads.map((p) => p.event_id ?? p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(files.map((f) => path.basename(f).slice(0, 3))).toEqual(files.map((_, i) => `${String(i + 1).padStart(2, '0')}-`));
    });

    it('move forward on the provider’s own ordering key and clock', () => {
      const orders = facts.map((f) => f.order);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
      if (provider !== 'stripe') expect(new Set(orders).size).toBe(orders.length); // Stripe's seconds may tie
      const times = facts.map((f) => Date.parse(f.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('carry the same envelope and dispute fields as the single-event fixtures', () => {
      const envelope = Object.keys(fixtureJson(envelopeOf[provider])).sort();
      for (const payload of payloads) {
        expect(Object.keys(payload).sort()).toEqual(envelope);
        expect(Object.keys(disputeOf[provider](payload))).toEqual(expect.arrayContaining(disputeFields[provider]));
      }
    });

    it('end where the story says', () => {
      const first = facts[0]!;
      const last = facts.at(-1)!;
      if (story === 'won') expect([first.status, last.status, last.outcome ?? 'won']).toEqual(['needs_response', 'won', 'won']);
      if (story === 'lost') expect([first.status, last.status, last.outcome ?? 'lost']).toEqual(['needs_response', 'lost', 'lost']);
      if (story === 'inquiry-to-chargeback') {
        expect([first.stage, first.status]).toEqual(['inquiry', 'needs_response']);
        expect([last.stage, last.status]).toEqual(['chargeback', 'needs_response']);
        expect(Date.parse(last.dueBy!)).toBeGreaterThan(Date.parse(first.dueBy!));
      }
    });

    if (story === 'won') {
      it('pass through evidence going in (under review) before the dispute is won', () => {
        const statuses = facts.map((f) => f.status);
        expect(statuses.indexOf('under_review')).toBeGreaterThan(0);
        expect(statuses.indexOf('under_review')).toBeLessThan(statuses.indexOf('won'));
      });
    }
  });
});
