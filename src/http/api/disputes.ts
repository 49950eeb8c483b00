import express from 'express';
import { z } from 'zod';
import type { Db } from '../../db/pool';
import { PROVIDERS } from '../../db/schema';
import { DISPUTE_STATUSES } from '../../disputes/model';
import { findDispute, listDisputes, timelineOf } from '../../disputes/repository';
import { listSubmissions } from '../../submission/repository';
import { HttpError } from '../errors';

const ListQuery = z.object({
  status: z.enum(DISPUTE_STATUSES).optional(),
  provider: z.enum(PROVIDERS).optional(),
  dueBefore: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export function disputesApi(deps: { db: Db }): express.Router {
  const router = express.Router();

  router.get('/disputes', async (req, res) => {
    res.json({ disputes: await listDisputes(deps.db, ListQuery.parse(req.query)) });
  });

  router.get('/disputes/:id', async (req, res) => {
    const dispute = await findDispute(deps.db, req.params.id);
    if (!dispute) throw new HttpError(404, 'dispute_not_found');
    const [timeline, submissions] = await Promise.all([timelineOf(deps.db, dispute.id), listSubmissions(deps.db, dispute.id)]);
    res.json({ ...dispute, timeline, packet: null, submissions, alerts: [] });
  });

  return router;
}
