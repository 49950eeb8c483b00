import { createDb } from '../../src/db/pool';
import { OwnRedis, freePort } from '../support/redis-server';
import { createTestDatabase, queuePrefix, waitFor } from '../support/services';
import { spawnServer } from '../support/spawn-server';
import { deliverLikeStripe, disputeEvent, inParallel, STRIPE_SECRET } from './sender';

describe('Redis restarted under load (without persistence: every job in it is lost)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: OwnRedis;
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = new OwnRedis(await freePort());
    await redis.start();
  });
  afterAll(async () => {
    await redis.stop();
    await database.drop();
  });

  it('every stored event is processed, once', async () => {
    const server = await spawnServer({ DATABASE_URL: database.url, REDIS_URL: redis.url, STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET, QUEUE_PREFIX: queuePrefix('redisrestart'), LOG_LEVEL: 'error' });
    const db = createDb(database.url, { max: 2 });
    try {
      const events = Array.from({ length: 150 }, (_, i) => ({ eventId: `evt_redis_restart_${i}`, body: disputeEvent(`evt_redis_restart_${i}`, `du_redis_restart_${i}`) }));
      let delivered = 0;
      const restart = (async () => {
        await waitFor(async () => delivered >= 40, 60_000, '40 deliveries before the restart');
        await redis.stop();
        await new Promise((r) => setTimeout(r, 1_500));
        await redis.start();
      })();
      const deliveries = await inParallel(events, 6, async (e) => {
        const d = await deliverLikeStripe([server.url], e.eventId, e.body);
        delivered += 1;
        return d;
      });
      await restart;
      // With Redis away the receiver still answers 2xx: the events are in PostgreSQL.
      expect(deliveries.every((d) => d.non2xx === 0)).toBe(true);
      expect(await db.selectFrom('events').select('id').execute()).toHaveLength(events.length);

      // Those stored while Redis was down, and those queued to the Redis that lost them, are swept into the queue again.
      await waitFor(async () => {
        const rows = await db.selectFrom('events').select('status').execute();
        return rows.every((r) => r.status === 'processed');
      }, 150_000, 'every event to be processed');
      expect(await db.selectFrom('disputes').select('id').execute()).toHaveLength(events.length);
      const timeline = await db.selectFrom('dispute_timeline').select('event_id').execute();
      expect(new Set(timeline.map((t) => t.event_id)).size).toBe(events.length);
      expect(timeline).toHaveLength(events.length);
    } finally {
      await db.destroy();
      await server.stop();
    }
  }, 240_000);
});
