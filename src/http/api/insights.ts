import { PROVIDER_NAMES } from '../../providers';
import express from 'express';
import type { Db } from '../../db/pool';
import { insightsCsv } from '../../insights/csv';
import { computeInsights } from '../../insights/figures';
import type { DisputeFees } from '../../insights/model';
import { parseInsightsRange } from '../../insights/range';

/** GET /api/insights and /api/insights.csv: computed from the store at each call; a bad parameter is a 400 naming it. */
export function insightsApi(deps: { db: Db; fees: DisputeFees; now?: () => Date }): express.Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());

  router.get('/insights', async (req, res) => {
    const at = now();
    res.json(await computeInsights(deps.db, parseInsightsRange(req.query, at, PROVIDER_NAMES), { fees: deps.fees, now: at }));
  });

  router.get('/insights.csv', async (req, res) => {
    const at = now();
    const range = parseInsightsRange(req.query, at, PROVIDER_NAMES);
    const csv = await insightsCsv(deps.db, range, { fees: deps.fees, now: at });
    res
      .type('text/csv; charset=utf-8')
      .set('content-disposition', `attachment; filename="disputes-${range.from}-to-${range.to}${range.provider ? `-${range.provider}` : ''}.csv"`)
      .send(csv);
  });

  return router;
}
