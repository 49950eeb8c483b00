import { startWorkers } from '../../workers';
import { FakePaypal, PAYPAL_ERROR } from '../fakes/paypal';
import type { RecordingServer } from '../fakes/recording-server';
import { FakeSquare, SQUARE_ERROR } from '../fakes/square';
import { FakeStripe, STRIPE_ERROR } from '../fakes/stripe';
import { insertDispute } from '../support/disputes';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { submissionFinished } from '../support/deliver';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

type Fake = RecordingServer & { submissions: number; disputes: Map<string, any> };

interface ProviderCase {
  provider: 'stripe' | 'square' | 'paypal';
  fake: () => Fake;
  env: (url: string) => Record<string, string>;
  /** Adds a fresh open dispute to the fake; its id. */
  openDispute: (fake: Fake, suffix: string) => string;
  submitCall: [string, string];
  acceptCall: [string, string];
  reject: () => import('../fakes/recording-server').FakeAnswer;
  rejectMessage: RegExp;
}

const CASES: ProviderCase[] = [
  {
    provider: 'stripe',
    fake: () => new FakeStripe(),
    env: (url) => ({ STRIPE_SECRET_KEY: 'sk_test_fake_0123456789', STRIPE_API_BASE: url }),
    openDispute: (fake, suffix) => {
      const d = structuredClone(fixtureJson<any>('stripe/charge.dispute.created.json').data.object);
      d.id = `du_${suffix}`;
      fake.disputes.set(d.id, d);
      return d.id;
    },
    submitCall: ['POST', '/v1/disputes/:id'],
    acceptCall: ['POST', '/v1/disputes/:id/close'],
    reject: () => STRIPE_ERROR('evidence[shipping_date] must be a date', 'parameter_invalid'),
    rejectMessage: /stripe refused the request \(400\): evidence\[shipping_date\] must be a date/,
  },
  {
    provider: 'square',
    fake: () => new FakeSquare(),
    env: (url) => ({ SQUARE_ACCESS_TOKEN: 'EAAAl-fake-square-token', SQUARE_API_BASE: url }),
    openDispute: (fake, suffix) => {
      const d = structuredClone(fixtureJson<any>('square/dispute.created.json').data.object.object);
      d.id = `sq-${suffix}`;
      fake.disputes.set(d.id, d);
      return d.id;
    },
    submitCall: ['POST', '/v2/disputes/:id/submit-evidence'],
    acceptCall: ['POST', '/v2/disputes/:id/accept'],
    reject: () => SQUARE_ERROR('INVALID_VALUE', 'The dispute cannot take evidence.'),
    rejectMessage: /square refused the request \(400\)/,
  },
  {
    provider: 'paypal',
    fake: () => new FakePaypal(),
    env: (url) => ({ PAYPAL_CLIENT_ID: 'submit-client', PAYPAL_CLIENT_SECRET: 'submit-secret', PAYPAL_API_BASE: url }),
    openDispute: (fake, suffix) => {
      const d = structuredClone(fixtureJson<any>('paypal/CUSTOMER.DISPUTE.CREATED.json').resource);
      d.dispute_id = `PP-D-${suffix}`;
      fake.disputes.set(d.dispute_id, d);
      return d.dispute_id;
    },
    submitCall: ['POST', '/v1/customer/disputes/:id/provide-evidence'],
    acceptCall: ['POST', '/v1/customer/disputes/:id/accept-claim'],
    reject: () => PAYPAL_ERROR('INVALID_EVIDENCE_FILE', 'The evidence file is not valid.'),
    rejectMessage: /paypal refused the request \(422\): UNPROCESSABLE_ENTITY: The evidence file is not valid/,
  },
];

describe.each(CASES)('submission and acceptance through $provider', (c) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const fake = c.fake();
  let counter = 0;

  const newDispute = async (overrides: Record<string, unknown> = {}) => {
    const providerDisputeId = c.openDispute(fake, `${Date.now().toString(36)}${counter++}`);
    const id = await insertDispute(receiver.runtime.db, { provider: c.provider, provider_dispute_id: providerDisputeId, ...overrides });
    return { id, providerDisputeId, path: (pattern: string) => pattern.replace(':id', providerDisputeId) };
  };
  const respond = (id: string, action: 'submit' | 'accept') => post(`${receiver.url}/api/disputes/${id}/${action}`, '', adminHeaders());
  const finished = (submissionId: string) => submissionFinished(receiver.runtime.db, submissionId);

  beforeAll(async () => {
    database = await createTestDatabase();
    await fake.start();
    receiver = await startTestReceiver(testConfig(database.url, c.env(fake.url)), {
      jobOptions: { submissions: { attempts: 3, backoff: { type: 'fixed', delay: 200 } } },
    });
    await post(`${receiver.url}/api/import`, fixtureText('merchant/records.ndjson'), adminHeaders({ 'content-type': 'application/x-ndjson' }));
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    await fake.close();
    await database.drop();
  });

  it('ten concurrent submit calls make one provider submission, in the documented wire format', async () => {
    const dispute = await newDispute();
    const before = fake.submissions;
    const answers = await Promise.all(Array.from({ length: 10 }, () => respond(dispute.id, 'submit')));
    // A call that arrives after the first one was already sent is told so (409); the others share one submission.
    expect(answers.every((a) => a.status === 202 || (a.status === 409 && /already sent/.test(a.json.details[0].message)))).toBe(true);
    const accepted = answers.filter((a) => a.status === 202);
    expect(new Set(accepted.map((a) => a.json.submission.id)).size).toBe(1);
    const submission = await finished(accepted[0]!.json.submission.id);
    expect(submission).toMatchObject({ status: 'sent', attempts: 1, error: null });
    expect(fake.submissions - before).toBe(1);
    expect(fake.calls(...([c.submitCall[0], dispute.path(c.submitCall[1])] as [string, string]))).toHaveLength(1);

    const detail = (await get(`${receiver.url}/api/disputes/${dispute.id}`, adminHeaders())).json;
    expect(detail.evidence.submittedAt).toEqual(expect.any(String));
    expect(detail.submissions).toEqual([expect.objectContaining({ id: submission.id, status: 'sent', kind: 'submit' })]);
    // The sending recorded what it sent: the packet's completeness (insights by completeness read it).
    const recorded = await receiver.runtime.db.selectFrom('submissions').select('completeness').where('id', '=', submission.id).executeTakeFirstOrThrow();
    expect(recorded.completeness).toBeCloseTo(detail.packet.completeness, 5);
    expect((await respond(dispute.id, 'submit')).status).toBe(409);

    if (c.provider === 'stripe') {
      const [upload] = fake.calls('POST', '/v1/files');
      expect(upload!.parts).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'purpose', value: 'dispute_evidence' }), expect.objectContaining({ name: 'file', contentType: 'application/pdf' })]));
      const [update] = fake.calls('POST', dispute.path('/v1/disputes/:id'));
      expect(update!.headers['idempotency-key']).toBe(`rebuttal-${submission.id}-submit`);
      expect(update!.headers.authorization).toBe('Bearer sk_test_fake_0123456789');
      expect(update!.form!.get('submit')).toBe('true');
      expect(update!.form!.get('evidence[shipping_tracking_number]')).toBe('1Z999AA10123456784');
      expect(update!.form!.get('evidence[shipping_documentation]')).toMatch(/^file_/);
    } else if (c.provider === 'square') {
      const texts = fake.calls('POST', dispute.path('/v2/disputes/:id/evidence-text'));
      expect(texts.length).toBeGreaterThan(1);
      expect(texts[0]!.json).toEqual({ idempotency_key: `rebuttal-${submission.id}-text-0`, evidence_type: 'REBUTTAL_EXPLANATION', evidence_text: expect.any(String) });
      expect(texts.every((t) => t.json.evidence_text.length <= 500)).toBe(true);
      const [file] = fake.calls('POST', dispute.path('/v2/disputes/:id/evidence-files'));
      expect(JSON.parse(file!.parts!.find((p) => p.name === 'request')!.value!)).toMatchObject({ evidence_type: 'PROOF_OF_DELIVERY_DOCUMENTATION', content_type: 'application/pdf' });
      const [submit] = fake.calls('POST', dispute.path('/v2/disputes/:id/submit-evidence'));
      expect(submit!.rawBody.length === 0 || submit!.rawBody.toString() === '{}').toBe(true);
      expect(submit!.headers['square-version']).toBeDefined();
    } else {
      const [provide] = fake.calls('POST', dispute.path('/v1/customer/disputes/:id/provide-evidence'));
      expect(provide!.headers.authorization).toBe('Bearer A21AAFakeAccessToken');
      const inputPart = provide!.parts!.find((p) => p.name === 'input')!;
      expect(inputPart.contentType).toBe('application/json');
      const input = JSON.parse(inputPart.data!.toString());
      expect(input.evidences[0]).toMatchObject({ evidence_type: 'PROOF_OF_FULFILLMENT', evidence_info: { tracking_info: [{ carrier_name: 'UPS', tracking_number: '1Z999AA10123456784' }] } });
      expect(provide!.parts!.find((p) => p.name === 'file1')).toMatchObject({ filename: 'rebuttal-evidence.pdf', contentType: 'application/pdf' });
    }
  });

  it('a provider 500 then 200 makes one submission', async () => {
    const dispute = await newDispute();
    const before = fake.submissions;
    fake.script(c.submitCall[0], dispute.path(c.submitCall[1]), { status: 500, json: { error: { type: 'api_error', message: 'boom' }, errors: [{ category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR' }], name: 'INTERNAL_SERVER_ERROR' } });
    const { json } = await respond(dispute.id, 'submit');
    expect(await finished(json.submission.id)).toMatchObject({ status: 'sent' });
    expect(fake.submissions - before).toBe(1);
  });

  it('a crash between the provider\'s success and our database update still makes one submission', async () => {
    const dispute = await newDispute();
    const before = fake.submissions;
    // The provider does the work, then the connection drops: our side never learns it landed.
    fake.script(c.submitCall[0], dispute.path(c.submitCall[1]), { status: 200, drop: true }, { status: 200, drop: true }, { status: 200, drop: true });
    const { json } = await respond(dispute.id, 'submit');
    const submission = await finished(json.submission.id);
    expect(fake.submissions - before).toBe(1);
    expect(submission.status).toBe('sent');
    expect(submission.providerAnswers.map((a) => a.call)).toContain('read-back');
  });

  it('a provider 4xx fails the submission with the provider\'s message, without retrying', async () => {
    const dispute = await newDispute();
    fake.script(c.submitCall[0], dispute.path(c.submitCall[1]), c.reject());
    const { json } = await respond(dispute.id, 'submit');
    const submission = await finished(json.submission.id);
    expect(submission).toMatchObject({ status: 'failed', attempts: 1 });
    expect(submission.error).toMatch(c.rejectMessage);
    expect(fake.calls(c.submitCall[0], dispute.path(c.submitCall[1]))).toHaveLength(1);
    const alerts = await receiver.runtime.queues.alerts.getJobs(['waiting', 'active', 'completed']);
    expect(alerts.map((j) => [j.name, j.data.disputeId])).toContainEqual(['dispute.submission_failed', dispute.id]);
  });

  it('accepts a dispute once', async () => {
    const dispute = await newDispute();
    const answers = await Promise.all([respond(dispute.id, 'accept'), respond(dispute.id, 'accept')]);
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(await finished(answers[0]!.json.submission.id)).toMatchObject({ status: 'sent', kind: 'accept' });
    expect(fake.calls(c.acceptCall[0], dispute.path(c.acceptCall[1]))).toHaveLength(1);
  });

  it('records a dispute the provider already closed instead of calling it', async () => {
    const dispute = await newDispute();
    const remote = fake.disputes.get(dispute.providerDisputeId);
    Object.assign(remote, c.provider === 'stripe' ? { status: 'won' } : c.provider === 'square' ? { state: 'WON' } : { status: 'RESOLVED', links: [] });
    const { json } = await respond(dispute.id, 'submit');
    expect(await finished(json.submission.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('no longer takes a response') });
    expect(fake.calls(c.submitCall[0], dispute.path(c.submitCall[1]))).toHaveLength(0);
  });

  it('answers 409 without any provider call for a past-due dispute', async () => {
    const dispute = await newDispute({ due_by: new Date(Date.now() - 1000) });
    const calls = fake.requests.length;
    expect((await respond(dispute.id, 'submit')).status).toBe(409);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.requests.length).toBe(calls);
  });
});
