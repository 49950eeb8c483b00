import http from 'node:http';
import express from 'express';
import { stripeVerifier } from '../src/providers/stripe/verify';

/**
 * The baselines: a handler that only verifies the same Stripe signature and answers, on bare
 * node:http (`http`) or on Express with its raw body parser (`express`). No storage, no queue.
 */
const verifier = stripeVerifier([process.env.STRIPE_WEBHOOK_SECRETS!]);
const mode = process.argv[2] ?? 'express';

const answer = (res: http.ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

if (mode === 'http') {
  http
    .createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/webhooks/stripe') return answer(res, 404, '{"error":"not_found"}');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        verifier.verify(Buffer.concat(chunks), req.headers).then(
          () => answer(res, 200, '{"received":true}'),
          () => answer(res, 400, '{"error":"invalid_signature"}'),
        );
      });
    })
    .listen(Number(process.env.PORT), '127.0.0.1');
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
