import express from 'express';
import type { Queue } from 'bullmq';
import type { Db } from '../../db/pool';
import { requestSync } from '../../sources/requests';
import type { SourcesConfig } from '../../sources/settings';
import { sourceStatuses } from '../../sources/status';
import { HttpError } from '../errors';

/** GET /api/sources and POST /api/sources/:name/sync (CONTRACT "Evidence sources"). */
export function sourcesApi(deps: { db: Db; sources: Queue; config: SourcesConfig }): express.Router {
  const router = express.Router();

  router.get('/sources', async (_req, res) => {
    const sources = await sourceStatuses(deps.db, deps.config);
    res.json({ sources: sources.map(({ displayName: _d, ...s }) => s) });
  });

  router.post('/sources/:name/sync', async (req, res) => {
    const request = await requestSync(deps, String(req.params.name));
    switch (request.outcome) {
      case 'queued':
        return void res.status(202).json({ sync: request.sync });
      case 'unknown_source':
        throw new HttpError(404, 'source_not_found');
      case 'not_enabled':
        throw new HttpError(409, 'source_not_enabled');
      case 'queue_unavailable':
        throw new HttpError(503, 'queue_unavailable');
      default: {
        const never: never = request;
        throw new Error(`unhandled ${JSON.stringify(never)}`);
      }
    }
  });

  return router;
}
