import http from 'node:http';
import express from 'express';
import { Pool } from 'pg';
import { packBodies } from '../src/db/events';
import { GroupCommit } from '../src/db/group-commit';
import { stripeVerifier } from '../src/providers/stripe/verify';

/**
 * The baselines: a handler that only verifies the same Stripe signature and answers, on bare
 * node:http (`http`) or on Express with its raw body parser (`express`). No storage, no queue.
 * `durable` is the least a receiver that answers after a durable commit can do: bare node:http,
 * the signature, then the body in PostgreSQL by group commit (one multi-row insert and one commit
 * per batch, batches as the receiver's), answered once committed; no queue, no log, no metrics.
 */
const verifier = stripeVerifier([process.env.STRIPE_WEBHOOK_SECRETS!]);
const mode = process.argv[2] ?? 'express';

const answer = (res: http.ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

/** Bare node:http: the signature checked, then `accept` decides when to answer 200. */
function bareServer(accept: (body: Buffer) => Promise<unknown>): http.Server {
  return http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/stripe') return answer(res, 404, '{"error":"not_found"}');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      verifier.verify(body, req.headers).then(
        () => accept(body).then(() => answer(res, 200, '{"received":true}'), () => answer(res, 503, '{"error":"store_unavailable"}')),
        () => answer(res, 400, '{"error":"invalid_signature"}'),
      );
    });
  });
}

if (mode === 'durable') {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const stored = new GroupCommit<Buffer, true>({
    maxBatch: 256,
    maxWaitMs: 2,
    maxInFlight: 2,
    // The bodies as one binary parameter cut apart by PostgreSQL, as the receiver sends them (src/db/events.ts).
    commit: async (bodies) => {
      await pool.query({
        name: 'store_bodies',
        text: 'insert into bench_durable (body) select substring($1::bytea from body_start for body_length) from unnest($2::int[], $3::int[]) as b (body_start, body_length)',
        values: packBodies(bodies),
      });
      return bodies.map(() => true as const);
    },
  });
  // Compressed with lz4 where the server has it, as migration 0016 does for the events table.
  void pool
    .query('create table if not exists bench_durable (id bigserial primary key, body bytea not null)')
    .then(() => pool.query('alter table bench_durable alter column body set compression lz4').catch(() => undefined))
    .then(() => {
      bareServer((body) => stored.submit(body)).listen(Number(process.env.PORT), '127.0.0.1');
    });
} else if (mode === 'http') {
  bareServer(() => Promise.resolve()).listen(Number(process.env.PORT), '127.0.0.1');
} else {
  const app = express();
  app.post('/webhooks/stripe', express.raw({ type: () => true, limit: 1_048_576 }), (req, res) => {
    verifier.verify(req.body as Buffer, req.headers).then(
      () => res.json({ received: true }),
      () => res.status(400).json({ error: 'invalid_signature' }),
    );
  });
  app.listen(Number(process.env.PORT), '127.0.0.1');
}
