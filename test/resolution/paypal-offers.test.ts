import { findDispute } from '../../src/disputes/repository';
import { startWorkers } from '../../workers';
import { FakePaypal, PAYPAL_ERROR } from '../fakes/paypal';
import { insertDispute } from '../support/disputes';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { submissionFinished } from '../support/deliver';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

describe('PayPal offers, messages and accept-claim types through the submissions machinery', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const fake = new FakePaypal();
  let counter = 0;

  /** An open PayPal dispute for 45.99 USD, known to the fake (links allow offers and messages) and to us. */
  const newDispute = async () => {
    const remote = structuredClone(fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.json').resource);
    remote.dispute_id = `PP-D-OFFER-${Date.now().toString(36)}${counter++}`;
    fake.disputes.set(remote.dispute_id, remote);
    const id = await insertDispute(receiver.runtime.db, { provider: 'paypal', provider_dispute_id: remote.dispute_id, amount_value: 4599, stage: 'inquiry', reason: 'product_unacceptable' });
    return { id, remote, path: (action: string) => `/v1/customer/disputes/${remote.dispute_id}/${action}` };
  };
  const ask = (id: string, action: 'offer' | 'message' | 'accept', body: unknown) =>
    post(`${receiver.url}/api/disputes/${id}/${action}`, JSON.stringify(body), adminHeaders());
  const finished = (submissionId: string) => submissionFinished(receiver.runtime.db, submissionId);

  beforeAll(async () => {
    database = await createTestDatabase();
    await fake.start();
    receiver = await startTestReceiver(
      testConfig(database.url, { PAYPAL_CLIENT_ID: 'offer-client', PAYPAL_CLIENT_SECRET: 'offer-secret', PAYPAL_API_BASE: fake.url }),
      { jobOptions: { submissions: { attempts: 3, backoff: { type: 'fixed', delay: 200 } } } },
    );
    await post(`${receiver.url}/api/import`, fixtureText('merchant/records.ndjson'), adminHeaders({ 'content-type': 'application/x-ndjson' }));
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await fake.close();
    await database.drop();
  });

  it.each([
    ['refund', { value: 2000, currency: 'USD' }, { offer_type: 'REFUND', offer_amount: { currency_code: 'USD', value: '20.00' } }],
    ['refund_with_return', { value: '45.99', currency: 'USD' }, { offer_type: 'REFUND_WITH_RETURN', offer_amount: { currency_code: 'USD', value: '45.99' } }],
    ['refund_with_replacement', { value: 500, currency: 'usd' }, { offer_type: 'REFUND_WITH_REPLACEMENT', offer_amount: { currency_code: 'USD', value: '5.00' } }],
    ['replacement', undefined, { offer_type: 'REPLACEMENT_WITHOUT_REFUND' }],
  ])('an offer of type %s makes exactly one make-offer call with the documented body', async (type, amount, wire) => {
    const dispute = await newDispute();
    const note = `We are sorry: ${type} offered.`;
    const answer = await ask(dispute.id, 'offer', { type, ...(amount ? { amount } : {}), note });
    expect(answer.status).toBe(202);
    expect(answer.json.submission).toEqual({ id: expect.any(String), kind: 'offer', status: 'queued' });
    const submission = await finished(answer.json.submission.id);
    expect(submission).toMatchObject({ status: 'sent', kind: 'offer', attempts: 1 });
    const calls = fake.calls('POST', dispute.path('make-offer'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.json).toEqual({ note, ...wire });
    expect(calls[0]!.headers.authorization).toBe('Bearer A21AAFakeAccessToken');
    expect(submission.providerAnswers.map((a) => a.call)).toEqual(['make-offer']);
  });

  it('the same offer asked twice, at once and again after it was sent, makes one make-offer call', async () => {
    const dispute = await newDispute();
    const body = { type: 'refund', amount: { value: 1500, currency: 'USD' }, note: 'Half back, keep the item.' };
    const first = await Promise.all([ask(dispute.id, 'offer', body), ask(dispute.id, 'offer', body)]);
    expect(first.map((a) => a.status)).toEqual([202, 202]);
    expect(first[0]!.json.submission.id).toBe(first[1]!.json.submission.id);
    await finished(first[0]!.json.submission.id);
    const again = await ask(dispute.id, 'offer', body);
    // Asked once more after it landed: the same submission back, not a second offer.
    expect(again.status).toBe(202);
    expect(again.json.submission).toMatchObject({ id: first[0]!.json.submission.id, status: 'sent' });
    expect(fake.calls('POST', dispute.path('make-offer'))).toHaveLength(1);
  });

  it('an offer the dispute\'s links do not allow is refused with 409 action_not_allowed and never sent', async () => {
    const dispute = await newDispute();
    dispute.remote.links = dispute.remote.links.filter((l: any) => l.rel !== 'make_offer');
    const answer = await ask(dispute.id, 'offer', { type: 'refund', amount: { value: 1000, currency: 'USD' }, note: 'Ten back.' });
    expect(answer.status).toBe(409);
    expect(answer.json.error).toBe('action_not_allowed');
    expect(answer.json.details[0].message).toMatch(/does not allow an offer/);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls('POST', dispute.path('make-offer'))).toHaveLength(0);
    const submissions = await receiver.runtime.db.selectFrom('submissions').selectAll().where('dispute_id', '=', dispute.id).execute();
    expect(submissions).toHaveLength(0);
  });

  it.each([
    ['above the disputed amount', { value: 4600, currency: 'USD' }, 'amount.value'],
    ['in another currency', { value: 1000, currency: 'EUR' }, 'amount.currency'],
    ['negative', { value: -100, currency: 'USD' }, 'amount.value'],
    ['zero', { value: '0.00', currency: 'USD' }, 'amount.value'],
    ['with too many decimals for USD', { value: '12.345', currency: 'USD' }, 'amount.value'],
    ['a fraction of a minor unit', { value: 12.5, currency: 'USD' }, 'amount.value'],
    ['in no currency at all', { value: 100, currency: 'XYZ' }, 'amount.currency'],
  ])('an offer amount %s is 400 naming the field, and nothing is sent', async (_case, amount, field) => {
    const dispute = await newDispute();
    const answer = await ask(dispute.id, 'offer', { type: 'refund', amount, note: 'An offer.' });
    expect(answer.status).toBe(400);
    expect(answer.json.details).toEqual([expect.objectContaining({ path: field })]);
    expect(fake.calls('POST', dispute.path('make-offer'))).toHaveLength(0);
  });

  it('a refund offer without an amount, or a replacement with one, is 400 naming amount', async () => {
    const dispute = await newDispute();
    expect((await ask(dispute.id, 'offer', { type: 'refund', note: 'x' })).json.details).toEqual([expect.objectContaining({ path: 'amount' })]);
    expect((await ask(dispute.id, 'offer', { type: 'replacement', amount: { value: 1, currency: 'USD' }, note: 'x' })).json.details).toEqual([expect.objectContaining({ path: 'amount' })]);
    expect((await ask(dispute.id, 'offer', { type: 'discount', note: 'x' })).json.details[0].path).toBe('type');
  });

  it('PayPal\'s refusal (422 with its issue code) fails the offer with PayPal\'s message, without a retry, and alerts', async () => {
    const dispute = await newDispute();
    fake.script('POST', dispute.path('make-offer'), PAYPAL_ERROR('OFFER_NOT_ALLOWED_FOR_DISPUTE_STATE', 'An offer is not allowed in the current state of the dispute.'));
    const answer = await ask(dispute.id, 'offer', { type: 'refund', amount: { value: 1000, currency: 'USD' }, note: 'Ten back.' });
    const submission = await finished(answer.json.submission.id);
    expect(submission).toMatchObject({ status: 'failed', attempts: 1 });
    expect(submission.error).toBe('paypal refused the request (422): UNPROCESSABLE_ENTITY: An offer is not allowed in the current state of the dispute.: OFFER_NOT_ALLOWED_FOR_DISPUTE_STATE');
    expect(fake.calls('POST', dispute.path('make-offer'))).toHaveLength(1);
    const alerts = await receiver.runtime.queues.alerts.getJobs(['waiting', 'active', 'completed']);
    expect(alerts.map((j) => [j.name, j.data.disputeId])).toContainEqual(['dispute.submission_failed', dispute.id]);
  });

  it('a PayPal 500 is retried and makes one offer', async () => {
    const dispute = await newDispute();
    fake.script('POST', dispute.path('make-offer'), { status: 500, json: { name: 'INTERNAL_SERVICE_ERROR', message: 'An internal service error occurred.' } });
    const before = fake.offers;
    const answer = await ask(dispute.id, 'offer', { type: 'refund', amount: { value: 1000, currency: 'USD' }, note: 'Ten back.' });
    expect(await finished(answer.json.submission.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fake.offers - before).toBe(1);
  });

  it('a crash after PayPal took the offer is recovered by reading the dispute back: one offer', async () => {
    const dispute = await newDispute();
    fake.script('POST', dispute.path('make-offer'), { status: 200, drop: true });
    const before = fake.offers;
    const answer = await ask(dispute.id, 'offer', { type: 'refund_with_return', amount: { value: 4599, currency: 'USD' }, note: 'Send it back for a full refund.' });
    const submission = await finished(answer.json.submission.id);
    expect(submission.status).toBe('sent');
    expect(submission.providerAnswers.map((a) => a.call)).toEqual(['read-back']);
    expect(fake.offers - before).toBe(1);
    expect(fake.calls('POST', dispute.path('make-offer'))).toHaveLength(1);
  });

  it('a message to the buyer is one send-message call; two different messages are two; a sent message does not block evidence', async () => {
    const dispute = await newDispute();
    const first = await ask(dispute.id, 'message', { body: 'Hello, we are looking into your order.' });
    expect(first.status).toBe(202);
    expect(await finished(first.json.submission.id)).toMatchObject({ status: 'sent', kind: 'message' });
    const second = await ask(dispute.id, 'message', { body: 'It shipped on Monday: tracking 1Z999AA10123456784.' });
    expect(await finished(second.json.submission.id)).toMatchObject({ status: 'sent' });
    const calls = fake.calls('POST', dispute.path('send-message'));
    expect(calls.map((c) => c.json)).toEqual([{ message: 'Hello, we are looking into your order.' }, { message: 'It shipped on Monday: tracking 1Z999AA10123456784.' }]);
    const submit = await post(`${receiver.url}/api/disputes/${dispute.id}/submit`, '', adminHeaders());
    expect(submit.status).toBe(202);
    expect(await finished(submit.json.submission.id)).toMatchObject({ status: 'sent', kind: 'submit' });
  });

  it('a message is refused with 409 when the links do not offer send_message, and on a Stripe dispute', async () => {
    const dispute = await newDispute();
    dispute.remote.links = dispute.remote.links.filter((l: any) => l.rel !== 'send_message');
    expect((await ask(dispute.id, 'message', { body: 'Hello' })).json.error).toBe('action_not_allowed');
    const stripeDispute = await insertDispute(receiver.runtime.db);
    const answer = await ask(stripeDispute, 'message', { body: 'Hello' });
    expect(answer.status).toBe(409);
    expect(answer.json.error).toBe('action_not_allowed');
    expect((await ask(stripeDispute, 'message', {})).status).toBe(400);
    expect(fake.calls('POST', dispute.path('send-message'))).toHaveLength(0);
  });

  it('accept-claim takes a partial refund with its amount, and the dispute ends accepted', async () => {
    const dispute = await newDispute();
    const answer = await ask(dispute.id, 'accept', { type: 'partial_refund', amount: { value: '30.00', currency: 'USD' }, note: 'Partial refund for the scratch.' });
    expect(answer.status).toBe(202);
    expect(await finished(answer.json.submission.id)).toMatchObject({ status: 'sent', kind: 'accept' });
    expect(fake.calls('POST', dispute.path('accept-claim')).map((c) => c.json)).toEqual([
      { note: 'Partial refund for the scratch.', accept_claim_type: 'PARTIAL_REFUND', refund_amount: { currency_code: 'USD', value: '30.00' } },
    ]);
    expect(await findDispute(receiver.runtime.db, dispute.id)).toMatchObject({ status: 'accepted', outcome: 'accepted' });
    expect((await ask(dispute.id, 'offer', { type: 'refund', amount: { value: 100, currency: 'USD' }, note: 'x' })).status).toBe(409);
  });
});
