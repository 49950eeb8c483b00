import { findEvent } from '../../src/db/events';
import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { startOutboxSweep } from '../../src/queue/outbox';
import { countEvents } from '../support/db';
import { fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { OwnRedis, freePort } from '../support/redis-server';
import { createTestDatabase, queuedEventIds, queuedEventIdsOnce, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

const SECRET = 'whsec_guarantees_0123456789';
const created = fixtureText('stripe/charge.dispute.created.json');
const signedPost = (receiver: TestReceiver, body = created) =>
  post(`${receiver.url}/webhooks/stripe`, body, { 'stripe-signature': stripeSignatureHeader(body, SECRET) });

describe('no 2xx for an event we did not keep', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('50 concurrent deliveries of the same event make one row, one queued id and 50 answers of 200', async () => {
    const receiver = await startTestReceiver(testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: SECRET }));
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () => signedPost(receiver)));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect(new Set(answers.map((a) => a.json.eventId)).size).toBe(1);
      expect(answers.filter((a) => a.json.duplicate === false)).toHaveLength(1);
      expect(await countEvents(receiver.runtime.db)).toBe(1);
      expect(await queuedEventIdsOnce(receiver.runtime, 1)).toEqual([answers[0]!.json.eventId]);
    } finally {
      await receiver.runtime.db.deleteFrom('events').execute();
      await receiver.stop();
    }
  });

  it('answers 503 and queues nothing when PostgreSQL cannot be reached', async () => {
    const unreachable = 'postgres://postgres@127.0.0.1:1/rebuttal';
    const receiver = await startTestReceiver(testConfig(unreachable, { STRIPE_WEBHOOK_SECRETS: SECRET }));
    try {
      const answer = await signedPost(receiver);
      expect(answer).toMatchObject({ status: 503, json: { error: 'store_unavailable' } });
      expect(await queuedEventIds(receiver.runtime)).toEqual([]);
      expect(await get(`${receiver.url}/readyz`)).toMatchObject({ status: 503, json: { postgres: 'down', redis: 'up' } });
    } finally {
      await receiver.stop();
    }
  });

  it('answers 200 while Redis is down, and the outbox sweep queues the event once Redis is back', async () => {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    const receiver = await startTestReceiver(testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: SECRET, REDIS_URL: redis.url }));
    const sweep = startOutboxSweep(receiver.runtime.db, receiver.runtime.queues.events, receiver.runtime.log, 200, 500);
    try {
      await redis.stop();
      const answer = await signedPost(receiver);
      expect(answer).toMatchObject({ status: 200, json: { received: true, duplicate: false } });
      expect((await findEvent(receiver.runtime.db, answer.json.eventId))?.status).toBe('received');
      expect(await get(`${receiver.url}/readyz`)).toMatchObject({ status: 503, json: { postgres: 'up', redis: 'down' } });

      await redis.start();
      await waitFor(async () => (await findEvent(receiver.runtime.db, answer.json.eventId))?.status === 'queued', 15_000, 'the sweep');
      const jobs = await receiver.runtime.queues.events.getJobs(['waiting']);
      expect(jobs.map((j) => j.data)).toEqual([{ eventId: answer.json.eventId }]);
    } finally {
      await sweep.stop();
      await receiver.stop();
      await redis.stop();
    }
  });
});
