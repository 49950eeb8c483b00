import { findDispute } from '../../src/disputes/repository';
import { startWorkers } from '../../workers';
import { FakeStripe, STRIPE_ERROR } from '../fakes/stripe';
import { insertDispute } from '../support/disputes';
import { deliver, settled, submissionFinished } from '../support/deliver';
import { fixtureJson } from '../support/fixtures';
import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

const WARNING = fixtureJson<any>('stripe/warnings/radar.early_fraud_warning.created.json');
const CHARGE = WARNING.data.object.charge as string;

describe('Stripe early fraud warnings, refunds of the warned charge, and a concession that sticks', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const fake = new FakeStripe();
  let counter = 0;

  /** A warning on a fresh charge of `amount` cents, delivered as Stripe signs it; its listed form. */
  const warned = async (amount = 12900) => {
    const n = `${Date.now().toString(36)}${counter++}`;
    const event = structuredClone(WARNING);
    event.id = `evt_efw_${n}`;
    event.data.object.id = `issfr_${n}`;
    event.data.object.charge = `${CHARGE}${n}`;
    fake.addCharge(event.data.object.charge, amount);
    const { eventId } = await deliver(receiver.url, receiver.runtime.config, 'stripe', JSON.stringify(event));
    expect(await settled(receiver.runtime.db, eventId)).toMatchObject({ status: 'processed' });
    const { json } = await get(`${receiver.url}/api/warnings`, adminHeaders());
    return json.warnings.find((w: any) => w.providerWarningId === event.data.object.id);
  };
  const refund = (id: string, body: unknown = {}) => post(`${receiver.url}/api/warnings/${id}/refund`, JSON.stringify(body), adminHeaders());
  const finished = (submissionId: string) => submissionFinished(receiver.runtime.db, submissionId);

  beforeAll(async () => {
    database = await createTestDatabase();
    await fake.start();
    receiver = await startTestReceiver(
      testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: 'whsec_efw_0123456789abcdef', STRIPE_SECRET_KEY: 'sk_test_fake_0123456789', STRIPE_API_BASE: fake.url }),
      { jobOptions: { submissions: { attempts: 3, backoff: { type: 'fixed', delay: 200 } } } },
    );
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await fake.close();
    await database.drop();
  });

  it('an early fraud warning webhook is recorded and listed, with the charge\'s amount read from Stripe', async () => {
    const warning = await warned(12900);
    expect(warning).toEqual({
      id: expect.any(String),
      provider: 'stripe',
      providerWarningId: expect.stringMatching(/^issfr_/),
      providerPaymentId: expect.stringMatching(/^ch_/),
      amount: { value: 12900, currency: 'USD' },
      reason: 'made_with_stolen_card',
      createdAt: '2026-11-01T14:05:10.000Z',
      refunded: false,
      disputeId: null,
    });
  });

  it('a refund is one Refunds API call with our idempotency key; asked twice, still one', async () => {
    const warning = await warned(12900);
    const answers = await Promise.all([refund(warning.id), refund(warning.id)]);
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(answers[0]!.json.submission.id).toBe(answers[1]!.json.submission.id);
    const submission = await finished(answers[0]!.json.submission.id);
    expect(submission).toMatchObject({ status: 'sent', kind: 'refund', disputeId: null, warningId: warning.id });
    const calls = fake.calls('POST', '/v1/refunds').filter((c) => c.form?.get('charge') === warning.providerPaymentId);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers['idempotency-key']).toBe(`rebuttal-${submission.id}-refund`);
    expect(calls[0]!.form!.get('amount')).toBeNull();
    expect(calls[0]!.form!.get('reason')).toBe('fraudulent');
    expect(calls[0]!.form!.get('metadata[rebuttal_submission]')).toBe(submission.id);
    expect(fake.charges.get(warning.providerPaymentId)).toMatchObject({ refunded: true, amount_refunded: 12900 });
    const listed = (await get(`${receiver.url}/api/warnings`, adminHeaders())).json.warnings.find((w: any) => w.id === warning.id);
    expect(listed.refunded).toBe(true);
    const again = await refund(warning.id);
    expect(again.status).toBe(409);
    expect(calls.length).toBe(fake.calls('POST', '/v1/refunds').filter((c) => c.form?.get('charge') === warning.providerPaymentId).length);
  });

  it('a partial refund sends the amount in minor units; bad amounts are 400 naming the field', async () => {
    const warning = await warned(12900);
    for (const [amount, field] of [
      [{ value: 13000, currency: 'USD' }, 'amount.value'],
      [{ value: 100, currency: 'EUR' }, 'amount.currency'],
      [{ value: '-1.00', currency: 'USD' }, 'amount.value'],
      [{ value: '1.001', currency: 'USD' }, 'amount.value'],
    ] as const) {
      const answer = await refund(warning.id, { amount });
      expect(answer.status).toBe(400);
      expect(answer.json.details[0].path).toBe(field);
    }
    const answer = await refund(warning.id, { amount: { value: '50.00', currency: 'USD' } });
    expect(await finished(answer.json.submission.id)).toMatchObject({ status: 'sent' });
    const [call] = fake.calls('POST', '/v1/refunds').filter((c) => c.form?.get('charge') === warning.providerPaymentId);
    expect(call!.form!.get('amount')).toBe('5000');
  });

  it('a refund is refused with 409 once the charge is disputed, and nothing is sent', async () => {
    const warning = await warned(4599);
    await insertDispute(receiver.runtime.db, { provider: 'stripe', provider_payment_id: warning.providerPaymentId });
    const answer = await refund(warning.id);
    expect(answer.status).toBe(409);
    expect(answer.json.error).toBe('charge_disputed');
    const listed = (await get(`${receiver.url}/api/warnings`, adminHeaders())).json.warnings.find((w: any) => w.id === warning.id);
    expect(listed.disputeId).toEqual(expect.any(String));
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls('POST', '/v1/refunds').filter((c) => c.form?.get('charge') === warning.providerPaymentId)).toHaveLength(0);
  });

  it('Stripe\'s own charge_disputed refusal fails the refund with Stripe\'s message, without a retry', async () => {
    const warning = await warned(4599);
    // The chargeback reached Stripe but not yet us: Stripe refuses the refund itself.
    fake.script('POST', '/v1/refunds', STRIPE_ERROR(`Charge ${warning.providerPaymentId} has been charged back; cannot issue a refund.`, 'charge_disputed'));
    const answer = await refund(warning.id);
    expect(answer.status).toBe(202);
    const submission = await finished(answer.json.submission.id);
    expect(submission).toMatchObject({ status: 'failed', attempts: 1 });
    expect(submission.error).toBe(`stripe refused the request (400): Charge ${warning.providerPaymentId} has been charged back; cannot issue a refund.`);
  });

  it('a Stripe 500 is retried with the same idempotency key and makes one refund', async () => {
    const warning = await warned(4599);
    fake.script('POST', '/v1/refunds', { status: 500, json: { error: { type: 'api_error', message: 'An unknown error occurred' } } }, { status: 500, json: { error: { type: 'api_error', message: 'An unknown error occurred' } } }, { status: 500, json: { error: { type: 'api_error', message: 'An unknown error occurred' } } });
    const answer = await refund(warning.id);
    const submission = await finished(answer.json.submission.id);
    expect(submission.status).toBe('sent');
    expect(submission.attempts).toBeGreaterThan(1);
    const calls = fake.calls('POST', '/v1/refunds').filter((c) => c.form?.get('charge') === warning.providerPaymentId);
    expect(new Set(calls.map((c) => c.headers['idempotency-key']))).toEqual(new Set([`rebuttal-${submission.id}-refund`]));
    expect(fake.refunds.filter((r) => r.charge === warning.providerPaymentId)).toHaveLength(1);
  });

  it('a crash after Stripe made the refund is recovered by reading the charge\'s refunds back: one refund', async () => {
    const warning = await warned(4599);
    fake.script('POST', '/v1/refunds', { status: 200, drop: true });
    const answer = await refund(warning.id);
    const submission = await finished(answer.json.submission.id);
    expect(submission.status).toBe('sent');
    expect(fake.refunds.filter((r) => r.charge === warning.providerPaymentId)).toHaveLength(1);
  });

  it('accepted on Stripe, then charge.dispute.closed (lost): the dispute stays accepted', async () => {
    const created = structuredClone(fixtureJson<any>('stripe/charge.dispute.created.json'));
    // Still open now, whatever day the suite runs.
    created.data.object.evidence_details.due_by = Math.floor(Date.now() / 1000) + 10 * 86_400;
    const { eventId } = await deliver(receiver.url, receiver.runtime.config, 'stripe', JSON.stringify(created));
    await settled(receiver.runtime.db, eventId);
    const dispute = (await receiver.runtime.db.selectFrom('disputes').select('id').where('provider_dispute_id', '=', created.data.object.id).executeTakeFirstOrThrow()).id;

    const accept = await post(`${receiver.url}/api/disputes/${dispute}/accept`, '', adminHeaders());
    expect(accept.status).toBe(202);
    expect(await finished(accept.json.submission.id)).toMatchObject({ status: 'sent' });
    expect(fake.calls('POST', `/v1/disputes/${created.data.object.id}/close`)).toHaveLength(1);
    expect(await findDispute(receiver.runtime.db, dispute)).toMatchObject({ status: 'accepted', outcome: 'accepted' });

    // Stripe records a conceded dispute as lost and says so later.
    const lost = structuredClone(fixtureJson<any>('stripe/charge.dispute.closed.lost.json'));
    lost.id = 'evt_closed_after_accept';
    lost.created = created.created + 3600;
    Object.assign(lost.data.object, { id: created.data.object.id, charge: created.data.object.charge, amount: created.data.object.amount, status: 'lost' });
    const closed = await deliver(receiver.url, receiver.runtime.config, 'stripe', JSON.stringify(lost));
    expect(await settled(receiver.runtime.db, closed.eventId)).toMatchObject({ status: 'processed' });
    const detail = (await get(`${receiver.url}/api/disputes/${dispute}`, adminHeaders())).json;
    expect(detail).toMatchObject({ status: 'accepted', outcome: 'accepted', providerStatus: 'lost', recommendation: null });
  });
});
