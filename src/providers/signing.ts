import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { Provider } from '../db/schema';
import { paypalSignatureHeaders } from './paypal/sign';
import { squareSignature } from './square/sign';
import { stripeSignatureHeader } from './stripe/sign';

/** The development key `PAYPAL_CERT_FILE=fixtures/keys/paypal-dev-cert.pem` matches. */
export const DEV_PAYPAL_KEY_FILE = path.join(__dirname, '..', '..', 'fixtures', 'keys', 'paypal-dev-key.pem');

export class SigningNotConfigured extends Error {}

/**
 * The headers the provider itself would send with this body, made with the configured secrets:
 * Stripe with the first webhook secret and the current time, Square over SQUARE_WEBHOOK_URL,
 * PayPal with the development key for PAYPAL_WEBHOOK_ID. For tests and `rebuttal replay`.
 */
export function signDelivery(provider: Provider, body: string | Buffer, config: Config, paypalKeyPem?: string): Record<string, string> {
  if (provider === 'stripe') {
    const [secret] = config.stripe.webhookSecrets;
    if (!secret) throw new SigningNotConfigured('STRIPE_WEBHOOK_SECRETS is not set');
    return { 'stripe-signature': stripeSignatureHeader(body, secret) };
  }
  if (provider === 'square') {
    const [key] = config.square.signatureKeys;
    if (!key || !config.square.webhookUrl) throw new SigningNotConfigured('SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL must be set');
    return { 'x-square-hmacsha256-signature': squareSignature(body, config.square.webhookUrl, key) };
  }
  if (!config.paypal.webhookId) throw new SigningNotConfigured('PAYPAL_WEBHOOK_ID is not set');
  return paypalSignatureHeaders(body, {
    webhookId: config.paypal.webhookId,
    privateKeyPem: paypalKeyPem ?? readFileSync(DEV_PAYPAL_KEY_FILE, 'utf8'),
  });
}
