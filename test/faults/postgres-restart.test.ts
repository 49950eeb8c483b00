import { createDb } from '../../src/db/pool';
import { OwnPostgres } from '../support/postgres-server';
import { freePort } from '../support/redis-server';
import { queuePrefix, waitFor } from '../support/services';
import { spawnServer } from '../support/spawn-server';
import { deliverLikeStripe, disputeEvent, inParallel, STRIPE_SECRET } from './sender';

describe('PostgreSQL restarted during a stream of deliveries', () => {
  let pg: OwnPostgres;
  beforeAll(async () => {
    pg = new OwnPostgres(await freePort());
    await pg.init();
  });
  afterAll(async () => {
    await pg.destroy();
  });

  it('every 2xx has its event stored, refused deliveries are sent again and land, and every event is processed once', async () => {
    const databaseUrl = pg.url('rebuttal_pg_restart');
    const server = await spawnServer({ DATABASE_URL: databaseUrl, STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET, QUEUE_PREFIX: queuePrefix('pgrestart'), LOG_LEVEL: 'error' });
    const db = createDb(databaseUrl, { max: 2 });
    try {
      const events = Array.from({ length: 150 }, (_, i) => ({ eventId: `evt_pg_restart_${i}`, body: disputeEvent(`evt_pg_restart_${i}`, `du_pg_restart_${i}`) }));
      let delivered = 0;
      const restart = (async () => {
        await waitFor(async () => delivered >= 40, 60_000, '40 deliveries before the restart');
        await pg.stop('fast');
        await new Promise((r) => setTimeout(r, 1_500));
        await pg.start();
      })();
      const deliveries = await inParallel(events, 6, async (e) => {
        const d = await deliverLikeStripe([server.url], e.eventId, e.body);
        delivered += 1;
        return d;
      });
      await restart;
      // The outage was seen: some deliveries were refused (503 or no connection) and sent again.
      expect(deliveries.reduce((n, d) => n + d.non2xx, 0)).toBeGreaterThan(0);

      // Every 2xx answer names an event that is in the store: nothing acknowledged was lost.
      const stored = await waitFor(async () => db.selectFrom('events').select(['id', 'provider_event_id']).execute().catch(() => undefined), 10_000, 'PostgreSQL');
      const byId = new Map(stored.map((r) => [r.id, r.provider_event_id]));
      for (const d of deliveries) expect(byId.get(d.storedAs)).toBe(d.eventId);
      expect(stored).toHaveLength(events.length);

      // And each is processed, once: one dispute per provider dispute, one timeline entry per event.
      await waitFor(async () => {
        const rows = await db.selectFrom('events').select('status').execute();
        return rows.every((r) => r.status === 'processed');
      }, 90_000, 'every event to be processed');
      const disputes = await db.selectFrom('disputes').select('id').execute();
      expect(disputes).toHaveLength(events.length);
      const timeline = await db.selectFrom('dispute_timeline').select('event_id').execute();
      expect(timeline).toHaveLength(events.length);
    } finally {
      await db.destroy();
      const code = await server.stop();
      if (code !== 0) console.log(server.output().split('\n').slice(-15).join('\n'));
      expect(code).toBe(0);
    }
  }, 240_000);
});
