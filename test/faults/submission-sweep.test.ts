import { findSubmission } from '../../src/submission/repository';
import { sweepSubmissions } from '../../src/submission/sweep';
import { startWorkers } from '../../workers';
import { FakeStripe } from '../fakes/stripe';
import { insertDispute } from '../support/disputes';
import { post } from '../support/http';
import { OwnRedis, freePort } from '../support/redis-server';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor } from '../support/services';

describe('a submission asked for while Redis was away', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const stripe = new FakeStripe();
  beforeAll(async () => {
    database = await createTestDatabase();
    await stripe.start();
  });
  afterAll(async () => {
    await stripe.close();
    await database.drop();
  });

  it('is recorded and answered 202, then queued by the sweep once Redis is back and sent once', async () => {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    const receiver = await startTestReceiver(
      testConfig(database.url, { REDIS_URL: redis.url, STRIPE_SECRET_KEY: 'sk_test_sweep_0123456789', STRIPE_API_BASE: stripe.url }),
    );
    let workers: { close(): Promise<void> } | undefined;
    try {
      const providerDisputeId = [...stripe.disputes.keys()][0]!;
      const disputeId = await insertDispute(receiver.runtime.db, { provider: 'stripe', provider_dispute_id: providerDisputeId });
      await redis.stop();

      const answer = await post(`${receiver.url}/api/disputes/${disputeId}/accept`, '', adminHeaders());
      expect(answer.status).toBe(202);
      const submissionId = answer.json.submission.id as string;
      expect(await findSubmission(receiver.runtime.db, submissionId)).toMatchObject({ status: 'queued' });
      // While Redis is away, the sweep can queue nothing and says so.
      expect(await sweepSubmissions(receiver.runtime.db, receiver.runtime.queues.submissions, receiver.runtime.log, 0)).toBe(0);

      await redis.start();
      await waitFor(async () => receiver.runtime.redis.producer.status === 'ready', 10_000, 'the producer to reconnect');
      workers = startWorkers(receiver.runtime);
      // A sweep in the moment Redis comes back may still find the connection unwritable; the next one (every 15 s in a running service) queues it.
      await waitFor(async () => (await sweepSubmissions(receiver.runtime.db, receiver.runtime.queues.submissions, receiver.runtime.log, 0)) === 1, 20_000, 'a sweep to queue it');
      const sent = await waitFor(async () => {
        const s = await findSubmission(receiver.runtime.db, submissionId);
        return s?.status === 'sent' ? s : undefined;
      }, 20_000, 'the swept submission to be sent');
      expect(sent).toMatchObject({ status: 'sent', kind: 'accept' });
      // A later sweep finds nothing queued; the provider was called once.
      expect(await sweepSubmissions(receiver.runtime.db, receiver.runtime.queues.submissions, receiver.runtime.log, 0)).toBe(0);
      expect(stripe.calls('POST', `/v1/disputes/${providerDisputeId}/close`)).toHaveLength(1);
    } finally {
      await workers?.close();
      await receiver.stop();
      await redis.stop();
    }
  });
});
