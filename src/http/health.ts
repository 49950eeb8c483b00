import express from 'express';
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { Db } from '../db/pool';
import { withTimeout } from '../time';

export function healthRoutes(deps: { db: Db; redis: Redis }): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      withTimeout(sql`select 1`.execute(deps.db), 1_000, 'postgres ping').then(() => 'up', () => 'down'),
      withTimeout(deps.redis.ping(), 1_000, 'redis ping').then(() => 'up', () => 'down'),
    ]);
    res.status(postgres === 'up' && redis === 'up' ? 200 : 503).json({ postgres, redis });
  });
  return router;
}
