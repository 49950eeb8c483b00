import express from 'express';
import { stripeVerifier } from '../src/providers/stripe/verify';

/** The baseline: a bare Express handler that only verifies the same Stripe signature. */
const verifier = stripeVerifier([process.env.STRIPE_WEBHOOK_SECRETS!]);
const app = express();
app.post('/webhooks/stripe', express.raw({ type: () => true, limit: 1_048_576 }), (req, res) => {
  verifier.verify(req.body as Buffer, req.headers).then(
    () => res.json({ received: true }),
    () => res.status(400).json({ error: 'invalid_signature' }),
  );
});
app.listen(Number(process.env.PORT), '127.0.0.1');
