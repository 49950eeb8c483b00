import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import type { Provider } from '../db/schema';
import type { EventIngest } from '../ingest/ingest';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { WebhookRejected } from '../errors';
import type { ProviderRegistry } from '../providers';
import type { WebhookVerifier } from '../providers/types';
import { errorAnswer, HttpError, StoreUnavailable } from './errors';

export interface WebhookDeps {
  log: Logger;
  metrics: Metrics;
  ingest: EventIngest;
  providers: ProviderRegistry;
  maxBytes: number;
}

/**
 * POST /webhooks/:provider on bare node:http: raw capped body → verify → store (group commit) →
 * answer. It sits in front of the Express app on the same server (and first in the app, for code
 * that serves the app alone): the profile showed Express's request and response machinery, not
 * our work, as the ceiling on this route. A 2xx is sent only once the event row is committed.
 */
export interface WebhookHandler {
  /** Is this request ours? (Express's matching: case-insensitive, trailing slash allowed, query ignored.) */
  matches(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The same, as the first Express middleware. */
  middleware(req: Request, res: Response, next: NextFunction): void;
}

const WEBHOOK_PATH = /^\/webhooks\/([^/?#]+)\/?(?:\?.*)?$/i;

type Outcome = 'accepted' | 'duplicate' | 'ignored';

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Headers kept with the event: everything the provider sent but its signatures and credentials. */
function storableHeaders(headers: IncomingHttpHeaders, drop: ReadonlySet<string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (!drop.has(name) && value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

const tooLarge = () => new HttpError(413, 'payload_too_large');

/** The body as sent (inflated when compressed, as Express's raw parser did), refused past maxBytes. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(tooLarge());
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let stream: Readable = req;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = req.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = req.pipe(zlib.createInflate());
  else if (encoding === 'br') stream = req.pipe(zlib.createBrotliDecompress());
  else if (encoding !== 'identity') return Promise.reject(new HttpError(415, 'bad_request'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Read on and drop the rest, as Express did, so the connection stays usable.
        stream.removeAllListeners('data');
        if (stream !== req) req.unpipe();
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    stream.on('error', () => reject(new HttpError(400, 'bad_request')));
    req.on('aborted', () => reject(new HttpError(400, 'bad_request')));
  });
}

export function webhookHandler(deps: WebhookDeps): WebhookHandler {
  // Worked out once, not per delivery.
  const dropHeaders = perProvider(deps.providers, (p): ReadonlySet<string> => new Set([...deps.providers.modules.get(p)!.signatureHeaders, 'authorization', 'cookie']));
  const seconds = perProvider(deps.providers, (p) => deps.metrics.webhookSeconds.labels({ provider: p }));

  const record = (provider: Provider, outcome: string, started: bigint) => {
    deps.metrics.webhooks.inc({ provider, outcome });
    seconds.get(provider)!.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };

  async function receive(provider: Provider, verifier: WebhookVerifier, req: IncomingMessage): Promise<{ outcome: Outcome; body: object }> {
    const raw = await readBody(req, deps.maxBytes);
    await verifier.verify(raw, req.headers);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new WebhookRejected('malformed_body', 'body is not JSON');
    }
    const adapter = deps.providers.modules.get(provider)!;
    const envelope = adapter.parseEnvelope(json);
    if (!adapter.isDisputeEvent(envelope.type)) return { outcome: 'ignored', body: { received: true, ignored: true } };

    let stored: { id: string; duplicate: boolean };
    // Named fields, not `{ ...envelope }`: built by a spread, this object made ≈0.35 KB of each
    // delivery outlive the young generation (`--trace-gc-nvp`: 0.38 → 0.03 KB promoted a delivery,
    // all else equal), so the old generation filled and was collected that much more often.
    const event = { provider, providerEventId: envelope.providerEventId, type: envelope.type, rawBody: raw, headers: storableHeaders(req.headers, dropHeaders.get(provider)!) };
    try {
      stored = await deps.ingest.store(event);
    } catch (err) {
      throw new StoreUnavailable(err);
    }
    deps.log.info(
      { provider, eventId: stored.id, providerEventId: envelope.providerEventId, type: envelope.type, duplicate: stored.duplicate },
      'webhook received',
    );
    return { outcome: stored.duplicate ? 'duplicate' : 'accepted', body: { received: true, duplicate: stored.duplicate, eventId: stored.id } };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0]!;
    const provider = safeDecode(WEBHOOK_PATH.exec(url)?.[1] ?? '') as Provider;
    if (!deps.providers.modules.has(provider)) return send(res, 404, { error: 'not_found' });
    const verifier = deps.providers.verifiers.get(provider);
    if (!verifier) return send(res, 404, { error: 'provider_not_configured' });
    const started = process.hrtime.bigint();
    receive(provider, verifier, req).then(
      ({ outcome, body }) => {
        record(provider, outcome, started);
        send(res, 200, body);
      },
      (err: unknown) => {
        const { status, code } = errorAnswer(err, deps.log, path);
        record(provider, code, started);
        send(res, status, { error: code });
      },
    );
  }

  const matches = (req: IncomingMessage) => req.method === 'POST' && WEBHOOK_PATH.test(req.url ?? '');
  return {
    matches,
    handle,
    middleware: (req, res, next) => (matches(req) ? handle(req, res) : next()),
  };
}

/** One value per registered provider, worked out at start. */
function perProvider<T>(providers: ProviderRegistry, make: (provider: Provider) => T): ReadonlyMap<Provider, T> {
  return new Map([...providers.modules.keys()].map((p) => [p, make(p)]));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
