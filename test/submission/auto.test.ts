import { planAutoSubmit } from '../../src/submission/auto';
import { findSubmission, listSubmissions } from '../../src/submission/repository';
import { startWorkers } from '../../workers';
import { FakeStripe } from '../fakes/stripe';
import { insertDispute } from '../support/disputes';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { disputeFor } from '../support/merchant';
import { post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

describe('SUBMIT_MODE=auto', () => {
  const settings = { mode: 'auto' as const, autoSubmitLeadMs: 48 * 3600_000 };
  const now = new Date('2026-11-25T12:00:00Z');

  it('plans: complete → now; incomplete → at the lead time; past the lead → now with what there is; review → never', () => {
    const due = '2026-12-05T12:00:00.000Z';
    const incomplete = disputeFor('stripe', 'fraud', { dueBy: due, evidence: { completeness: 0.6, missing: ['three_d_secure'], submittedAt: null } });
    expect(planAutoSubmit({ ...incomplete, evidence: { completeness: 1, missing: [], submittedAt: null } }, settings, now)).toMatchObject({ action: 'submit_now' });
    expect(planAutoSubmit(incomplete, settings, now)).toEqual({ action: 'check_at', at: new Date('2026-12-03T12:00:00.000Z') });
    expect(planAutoSubmit(incomplete, settings, new Date('2026-12-04T00:00:00Z'))).toMatchObject({ action: 'submit_now' });
    expect(planAutoSubmit(incomplete, { ...settings, mode: 'review' }, now)).toMatchObject({ action: 'none' });
    expect(planAutoSubmit({ ...incomplete, status: 'under_review' }, settings, now)).toMatchObject({ action: 'none' });
  });

  describe('against the real workers and a fake Stripe', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let receiver: TestReceiver;
    let workers: { close(): Promise<void> };
    const stripe = new FakeStripe();

    beforeAll(async () => {
      database = await createTestDatabase();
      await stripe.start();
      receiver = await startTestReceiver(
        testConfig(database.url, { SUBMIT_MODE: 'auto', AUTO_SUBMIT_LEAD: '48h', STRIPE_SECRET_KEY: 'sk_test_auto_0123', STRIPE_API_BASE: stripe.url }),
      );
      await post(`${receiver.url}/api/import`, fixtureText('merchant/records.ndjson'), adminHeaders({ 'content-type': 'application/x-ndjson' }));
      workers = startWorkers(receiver.runtime);
    });
    afterAll(async () => {
      await workers.close();
      await receiver.stop();
      await stripe.close();
      await database.drop();
    });

    const openAt = async (dueInMs: number, paymentId: string) => {
      const remote = structuredClone(fixtureJson<any>('stripe/charge.dispute.created.json').data.object);
      remote.id = `du_auto_${paymentId}`;
      stripe.disputes.set(remote.id, remote);
      const id = await insertDispute(receiver.runtime.db, { provider_dispute_id: remote.id, provider_payment_id: paymentId, due_by: new Date(Date.now() + dueInMs) });
      await receiver.runtime.queues.evidence.add('dispute.opened', { disputeId: id, change: 'opened', at: new Date().toISOString() });
      await receiver.runtime.queues.submissions.add('dispute.opened', { disputeId: id, change: 'opened', at: new Date().toISOString() });
      return id;
    };

    it('submits a complete packet by itself', async () => {
      const id = await openAt(10 * 86_400_000, 'ch_3QkZq2LzW8xYp1Aa0n4dR7sT');
      const sent = await waitFor(async () => (await listSubmissions(receiver.runtime.db, id)).find((s) => s.status === 'sent'), 20_000, 'the auto submission');
      expect(sent).toMatchObject({ requestedBy: 'auto', kind: 'submit' });
      expect(stripe.submissions).toBe(1);
    });

    it('submits an incomplete packet at the lead time, not before', async () => {
      const id = await openAt(48 * 3600_000 + 2_500, 'payment-without-order');
      await new Promise((r) => setTimeout(r, 800));
      expect(await listSubmissions(receiver.runtime.db, id)).toEqual([]);
      const delayed = await receiver.runtime.queues.submissions.getJobs(['delayed']);
      expect(delayed.some((j) => j.name === 'auto-submit.check' && j.data.disputeId === id)).toBe(true);
      const sent = await waitFor(async () => (await listSubmissions(receiver.runtime.db, id)).find((s) => s.status === 'sent'), 20_000, 'the lead-time submission');
      expect(new Date(sent.createdAt).getTime()).toBeGreaterThanOrEqual(Date.now() - 20_000);
      expect((await findSubmission(receiver.runtime.db, sent.id))?.requestedBy).toBe('auto');
      expect(stripe.submissions).toBe(2);
    });
  });
});
