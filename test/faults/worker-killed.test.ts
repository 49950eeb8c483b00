import { createDb, type Db } from '../../src/db/pool';
import { findSubmission } from '../../src/submission/repository';
import { FakeStripe } from '../fakes/stripe';
import { insertDispute } from '../support/disputes';
import { fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { adminHeaders, createTestDatabase, queuePrefix, waitFor } from '../support/services';
import { spawnServer, type SpawnedServer } from '../support/spawn-server';

describe('a worker killed in the middle of a submission', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  const stripe = new FakeStripe();
  const started: SpawnedServer[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    await stripe.start();
    db = createDb(database.url, { max: 2 });
    env = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: queuePrefix('killed'),
      STRIPE_SECRET_KEY: 'sk_test_killed_0123456789',
      STRIPE_API_BASE: stripe.url,
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    for (const s of started) if (s.process.exitCode === null) s.process.kill('SIGKILL');
    await db.destroy();
    await stripe.close();
    await database.drop();
  });

  const spawn = async (role: 'receiver' | 'worker') => {
    const s = await spawnServer(env, role);
    started.push(s);
    return s;
  };

  it('reaches the provider exactly once, and ends sent once another worker takes the stalled job', async () => {
    const receiver = await spawn('receiver');
    await post(`${receiver.url}/api/import`, fixtureText('merchant/records.ndjson'), adminHeaders({ 'content-type': 'application/x-ndjson' }));
    const providerDisputeId = [...stripe.disputes.keys()][0]!;
    const disputeId = await insertDispute(db, { provider: 'stripe', provider_dispute_id: providerDisputeId });
    // Stripe takes the evidence, and the answer never comes back: the worker is inside the call.
    stripe.script('POST', '/v1/disputes/:id', { status: 0, hang: true });

    const first = await spawn('worker');
    const answer = await post(`${receiver.url}/api/disputes/${disputeId}/submit`, '', adminHeaders());
    expect(answer.status).toBe(202);
    const submissionId = answer.json.submission.id as string;
    await waitFor(async () => stripe.submissions === 1, 60_000, 'the submission to reach Stripe');
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    expect(await findSubmission(db, submissionId)).toMatchObject({ status: 'sending' });

    // BullMQ finds the job stalled once its lock expires (30 s) and hands it to the next worker,
    // which reads Stripe's record first: the evidence is there, so it records it and calls nothing.
    await spawn('worker');
    const sent = await waitFor(async () => {
      const s = await findSubmission(db, submissionId);
      return s?.status === 'sent' ? s : undefined;
    }, 100_000, 'another worker to finish the stalled submission');
    expect(sent.providerAnswers).toEqual(expect.arrayContaining([expect.objectContaining({ call: 'read-back' })]));
    expect(stripe.submissions).toBe(1);
    expect(stripe.calls('POST', `/v1/disputes/${providerDisputeId}`).filter((r) => r.form?.get('submit') === 'true')).toHaveLength(1);
    for (const s of started) if (s.process.exitCode === null) await s.stop();
  }, 180_000);
});
