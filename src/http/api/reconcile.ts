import express from 'express';
import type { Queue } from 'bullmq';
import type { Db } from '../../db/pool';
import type { Provider } from '../../db/schema';
import { requestReconciliation } from '../../reconcile/jobs';
import { reconcileStatuses } from '../../reconcile/repository';
import { HttpError } from '../errors';

/** GET /api/reconcile: each provider's last run; POST /api/reconcile: a run now (202). */
export function reconcileApi(deps: { db: Db; maintenance: Queue; providers: readonly Provider[] }): express.Router {
  const router = express.Router();
  router.get('/reconcile', async (_req, res) => {
    res.json({ providers: await reconcileStatuses(deps.db, deps.providers) });
  });
  router.post('/reconcile', async (_req, res) => {
    const run = await requestReconciliation(deps.maintenance).catch(() => {
      throw new HttpError(503, 'queue_unavailable', [{ message: 'Redis does not answer; the scheduled run will happen once it is back' }]);
    });
    res.status(202).json({ reconcile: run });
  });
  return router;
}
