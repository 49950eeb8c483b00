import express, { type Request, type Response, type NextFunction } from 'express';
import type { Queue } from 'bullmq';
import { insertEvent } from '../db/events';
import type { Db } from '../db/pool';
import type { Provider } from '../db/schema';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { ProviderRegistry } from '../providers';
import { WebhookRejected } from '../errors';
import { enqueueEvent } from '../queue/events';
import type { EventJob } from '../queue/names';
import { HttpError, StoreUnavailable } from './errors';

export interface WebhookDeps {
  db: Db;
  log: Logger;
  metrics: Metrics;
  eventQueue: Queue<EventJob>;
  providers: ProviderRegistry;
  maxBytes: number;
}

/** Headers kept with the event: everything the provider sent but its signatures and credentials. */
function storableHeaders(req: Request, signatureHeaders: readonly string[]): Record<string, string> {
  const drop = new Set([...signatureHeaders, 'authorization', 'cookie']);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!drop.has(name) && value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

/**
 * POST /webhooks/:provider — raw body, size cap, verify, store, enqueue, answer.
 * A 2xx is sent only once the event row is committed.
 */
export function webhookRouter(deps: WebhookDeps): express.Router {
  const router = express.Router();

  const knownProvider = (req: Request, res: Response, next: NextFunction) => {
    const provider = req.params.provider as Provider;
    if (!deps.providers.modules.has(provider)) return next(new HttpError(404, 'not_found'));
    if (!deps.providers.verifiers.has(provider)) return next(new HttpError(404, 'provider_not_configured'));
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      deps.metrics.webhooks.inc({ provider, outcome: String(res.locals.outcome ?? res.statusCode) });
      deps.metrics.webhookSeconds.observe({ provider }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  router.post(
    '/webhooks/:provider',
    knownProvider,
    express.raw({ type: () => true, limit: deps.maxBytes }),
    async (req: Request, res: Response) => {
      const provider = req.params.provider as Provider;
      const adapter = deps.providers.modules.get(provider)!;
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      await deps.providers.verifiers.get(provider)!.verify(raw, req.headers);

      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new WebhookRejected('malformed_body', 'body is not JSON');
      }
      const envelope = adapter.parseEnvelope(json);
      if (!adapter.isDisputeEvent(envelope.type)) {
        res.locals.outcome = 'ignored';
        res.json({ received: true, ignored: true });
        return;
      }

      let stored: { id: string; duplicate: boolean };
      try {
        stored = await insertEvent(deps.db, { ...envelope, provider, rawBody: raw, headers: storableHeaders(req, adapter.signatureHeaders) });
      } catch (err) {
        throw new StoreUnavailable(err);
      }
      const logged = { provider, eventId: stored.id, providerEventId: envelope.providerEventId, type: envelope.type };
      if (!stored.duplicate) {
        // The row stays 'received' until a worker or the outbox sweep moves it on: one write per delivery.
        try {
          await enqueueEvent(deps.eventQueue, stored.id);
        } catch (err) {
          // Stored is what matters to the provider; the outbox sweep queues it when Redis is back.
          deps.log.warn({ ...logged, err }, 'event stored but not queued; the outbox sweep will queue it');
        }
      }
      deps.log.info({ ...logged, duplicate: stored.duplicate }, 'webhook received');
      res.locals.outcome = stored.duplicate ? 'duplicate' : 'accepted';
      res.json({ received: true, duplicate: stored.duplicate, eventId: stored.id });
    },
  );
  return router;
}
