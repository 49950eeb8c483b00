import { SESSION_COOKIE, sessionValue } from '../../../src/http/dashboard/session';
import { recommendationSection, warningsPage } from '../../../src/http/dashboard/resolution-pages';
import { findSubmission } from '../../../src/submission/repository';
import { startWorkers } from '../../../workers';
import { FakePaypal } from '../../fakes/paypal';
import { insertDispute } from '../../support/disputes';
import { fixtureJson } from '../../support/fixtures';
import { ADMIN_TOKEN, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../../support/services';

describe('resolution on the staff pages', () => {
  it('shows the recommendation with its figures and reasons, escaped', () => {
    const section = recommendationSection({
      action: 'accept',
      winProbability: 0.07,
      expectedRecovery: { value: 63, currency: 'USD' },
      costs: { value: 2500, currency: 'USD' },
      reasons: ['missing <tracking>', 'accept: fighting is expected to cost $23.32 more than it brings back'],
    }).value;
    expect(section).toContain('Recommendation: <span class="badge">accept</span>');
    expect(section).toContain('Chance of winning 7% · expected recovery $0.63 · cost of fighting $25.00');
    expect(section).toContain('<li>missing &lt;tracking&gt;</li>');
    expect(recommendationSection(null).value).toBe('');
  });

  it('lists warnings with a refund form only where a refund is still possible', () => {
    const base = { provider: 'stripe' as const, providerWarningId: 'issfr_1', amount: { value: 12900, currency: 'USD' }, reason: 'made_with_stolen_card', createdAt: '2026-11-01T14:05:10.000Z' };
    const page = warningsPage([
      { ...base, id: 'w-open', providerPaymentId: 'ch_open', refunded: false, disputeId: null, refund: null },
      { ...base, id: 'w-disputed', providerPaymentId: 'ch_disputed', refunded: false, disputeId: 'd-1', refund: null },
      { ...base, id: 'w-refunded', providerPaymentId: 'ch_refunded', refunded: true, disputeId: null, refund: { submissionId: 's', status: 'sent', error: null } },
    ]).value;
    expect(page).toContain('action="/warnings/w-open/confirm"');
    expect(page).not.toContain('action="/warnings/w-disputed/confirm"');
    expect(page).not.toContain('action="/warnings/w-refunded/confirm"');
    expect(page).toContain('<a href="/disputes/d-1">disputed</a>');
    expect(page).toContain('$129.00');
  });

  describe('an offer from the dispute page', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let receiver: TestReceiver;
    let workers: { close(): Promise<void> };
    const fake = new FakePaypal();
    const cookie = `${SESSION_COOKIE}=${sessionValue(ADMIN_TOKEN)}`;
    const page = (path: string, init: RequestInit = {}) =>
      fetch(`${receiver.url}${path}`, { redirect: 'manual', ...init, headers: { cookie, 'sec-fetch-site': 'same-origin', ...(init.headers ?? {}) } });

    beforeAll(async () => {
      database = await createTestDatabase();
      await fake.start();
      receiver = await startTestReceiver(testConfig(database.url, { PAYPAL_CLIENT_ID: 'dash-client', PAYPAL_CLIENT_SECRET: 'dash-secret', PAYPAL_API_BASE: fake.url }));
      workers = startWorkers(receiver.runtime);
    });
    afterAll(async () => {
      await workers.close();
      await receiver.stop();
      await fake.close();
      await database.drop();
    });

    it('goes through a confirmation page, and only its button sends the offer', async () => {
      const remote = structuredClone(fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.json').resource);
      remote.dispute_id = 'PP-D-DASH-1';
      fake.disputes.set(remote.dispute_id, remote);
      const id = await insertDispute(receiver.runtime.db, { provider: 'paypal', provider_dispute_id: remote.dispute_id, stage: 'inquiry', reason: 'product_unacceptable' });

      const disputePage = await (await page(`/disputes/${id}`)).text();
      expect(disputePage).toContain('id="reco-h"');
      expect(disputePage).toContain('Make an offer');
      expect(disputePage).toContain('Write to the buyer');

      const confirm = await page(`/disputes/${id}/confirm?action=offer&type=refund&amount=12.50&note=${encodeURIComponent('Sorry <3')}`);
      expect(confirm.status).toBe(200);
      const confirmHtml = await confirm.text();
      expect(confirmHtml).toContain('Send this offer?');
      expect(confirmHtml).toContain('$12.50');
      expect(confirmHtml).toContain('Sorry &lt;3');
      expect(fake.calls('POST', '/v1/customer/disputes/PP-D-DASH-1/make-offer')).toHaveLength(0);

      const tooMuch = await page(`/disputes/${id}/confirm?action=offer&type=refund&amount=99.00&note=x`);
      expect(tooMuch.status).toBe(303);
      expect(decodeURIComponent(tooMuch.headers.get('location')!)).toContain('Not sent: amount.value: must be at most the disputed $45.99');

      const sent = await page(`/disputes/${id}/offer`, { method: 'POST', body: new URLSearchParams({ type: 'refund', amount: '12.50', note: 'Sorry <3' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(sent.status).toBe(303);
      expect(decodeURIComponent(sent.headers.get('location')!)).toContain('Offer queued');
      const submission = await waitFor(async () => {
        const row = await receiver.runtime.db.selectFrom('submissions').select('id').where('dispute_id', '=', id).executeTakeFirst();
        const s = row && (await findSubmission(receiver.runtime.db, row.id));
        return s?.status === 'sent' ? s : undefined;
      }, 15_000, 'the offer');
      expect(submission).toMatchObject({ kind: 'offer', requestedBy: 'staff' });
      expect(fake.calls('POST', '/v1/customer/disputes/PP-D-DASH-1/make-offer').map((c) => c.json)).toEqual([{ note: 'Sorry <3', offer_type: 'REFUND', offer_amount: { currency_code: 'USD', value: '12.50' } }]);
      const after = await (await page(`/disputes/${id}`)).text();
      expect(after).toContain('offer (refund, $12.50)');
    });
  });
});
