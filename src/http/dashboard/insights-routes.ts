import { PROVIDER_NAMES } from '../../providers';
import express, { type RequestHandler, type Response } from 'express';
import { ZodError } from 'zod';
import { computeInsights } from '../../insights/figures';
import { monthlyInsights } from '../../insights/monthly';
import { parseInsightsRange } from '../../insights/range';
import type { Runtime } from '../../runtime';
import { chartJsSource, INSIGHTS_SCRIPT } from './insights-assets';
import { insightsErrorPage, insightsPage } from './insights-page';
import type { page, PageOptions } from './layout';

type SendPage = (res: Response, status: number, title: string, body: Parameters<typeof page>[1], options?: PageOptions) => void;

/** /insights (signed in) and its two scripts: the charting library and the code that draws with it. */
export function insightsRoutes(runtime: Runtime, signedIn: RequestHandler, sendPage: SendPage): express.Router {
  const router = express.Router();
  const fees = runtime.config.resolution.disputeFees;

  router.get('/assets/chart.umd.min.js', (_req, res) => {
    res.type('js').set('cache-control', 'public, max-age=86400').send(chartJsSource());
  });
  router.get('/assets/insights.js', (_req, res) => {
    res.type('js').set('cache-control', 'no-cache').send(INSIGHTS_SCRIPT);
  });

  router.get('/insights', signedIn, async (req, res) => {
    const now = new Date();
    let range;
    try {
      range = parseInsightsRange(req.query, now, PROVIDER_NAMES);
    } catch (err) {
      if (!(err instanceof ZodError)) throw err;
      const issue = err.issues[0]!;
      const given = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
      const shown = { from: given('from'), to: given('to') };
      return sendPage(res, 400, 'Insights', insightsErrorPage(shown, `${String(issue.path[0])} ${issue.message}.`), { current: 'insights' });
    }
    const [insights, monthly] = await Promise.all([
      computeInsights(runtime.db, range, { fees, now }),
      monthlyInsights(runtime.db, range, { fees, now }),
    ]);
    sendPage(res, 200, 'Insights', insightsPage({ insights, monthly, range }), { current: 'insights' });
  });

  return router;
}
