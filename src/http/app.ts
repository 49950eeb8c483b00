import http, { type Server } from 'node:http';
import express from 'express';
import { listersOf } from '../ports';
import type { Runtime } from '../runtime';
import { disputesApi } from './api/disputes';
import { eventsApi } from './api/events';
import { reconcileApi } from './api/reconcile';
import { insightsApi } from './api/insights';
import { recordsApi } from './api/records';
import { sourcesApi } from './api/sources';
import { resolutionApi } from './api/resolution';
import { submissionsApi } from './api/submissions';
import { requireAdmin } from './auth';
import { dashboardRouter } from './dashboard/routes';
import { errorHandler, HttpError } from './errors';
import { healthRoutes } from './health';
import { webhookHandler, type WebhookHandler } from './webhooks';

/** POST /webhooks/:provider, served on bare node:http (see webhooks.ts). */
export function createWebhookHandler(runtime: Runtime): WebhookHandler {
  const { config, log, metrics, ingest, providers } = runtime;
  return webhookHandler({ log, metrics, ingest, providers, maxBytes: config.webhookMaxBytes });
}

/**
 * The receiver on one port: webhooks go straight to their lean handler, everything else to the
 * Express app.
 */
export function createServer(runtime: Runtime): Server {
  const webhooks = createWebhookHandler(runtime);
  const app = createApp(runtime, webhooks);
  return http.createServer((req, res) => (webhooks.matches(req) ? webhooks.handle(req, res) : app(req, res)));
}

/** The receiver: webhooks (raw bodies), health, metrics and the admin API (JSON bodies). */
export function createApp(runtime: Runtime, webhooks: WebhookHandler = createWebhookHandler(runtime)): express.Express {
  const { config, db, log, metrics, queues, redis, providers } = runtime;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  // Webhooks first, before any JSON parser can touch their bytes.
  app.use(webhooks.middleware);
  app.use(healthRoutes({ db, redis: redis.producer }));

  const admin = requireAdmin(runtime.adminToken);
  app.get('/metrics', admin, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const api = express.Router();
  // The import route reads NDJSON text itself, before the JSON parser would refuse it.
  api.use(admin, (req, res, next) => (req.path === '/import' ? next() : express.json({ limit: '5mb' })(req, res, next)));
  api.use(eventsApi({ db, eventQueue: queues.events }));
  api.use(disputesApi({ db, providers: providers.ports, resolution: config.resolution }));
  api.use(recordsApi({ db, evidence: queues.evidence }));
  api.use(submissionsApi({ db, submissions: queues.submissions }));
  api.use(reconcileApi({ db, maintenance: queues.maintenance, providers: [...listersOf(providers.ports).keys()] }));
  api.use(sourcesApi({ db, sources: queues.sources, config: config.sources }));
  // Offers and messages read the dispute's allowed actions from the provider before they are queued.
  api.use(resolutionApi({ db, submissions: queues.submissions, providers: providers.ports }));
  api.use(insightsApi({ db, fees: config.resolution.disputeFees }));
  app.use('/api', api);
  app.use(dashboardRouter(runtime));

  app.use((_req, _res, next) => next(new HttpError(404, 'not_found')));
  app.use(errorHandler(log));
  return app;
}
