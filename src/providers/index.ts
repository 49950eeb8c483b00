import { readFileSync } from 'node:fs';
import type { Config } from '../config';
import type { Provider } from '../db/schema';
import { createPaypalClient, PaypalTokens } from './paypal/auth';
import { CertificateStore } from './paypal/certs';
import { paypal } from './paypal';
import { paypalApiVerifier, paypalCertFileVerifier, paypalCertVerifier } from './paypal/verify';
import { square } from './square';
import { squareVerifier } from './square/verify';
import { stripe } from './stripe';
import { stripeVerifier } from './stripe/verify';
import type { ProviderAdapter, WebhookVerifier } from './types';

/** Every provider Rebuttal speaks to. Adding one: a folder beside this file and a line here. */
export const adapters: Record<Provider, ProviderAdapter> = { stripe, paypal, square };

export interface VerifierOptions {
  /** Extra CA for fetching PayPal certificates (tests serve them from a local https host). */
  paypalCertCa?: string | Buffer;
}

/** The verifier of each configured provider; a provider without its secret is absent (404). */
export function createVerifiers(config: Config, options: VerifierOptions = {}): Partial<Record<Provider, WebhookVerifier>> {
  const verifiers: Partial<Record<Provider, WebhookVerifier>> = {};
  if (config.stripe.webhookSecrets.length > 0) verifiers.stripe = stripeVerifier(config.stripe.webhookSecrets);
  if (config.square.signatureKeys.length > 0 && config.square.webhookUrl) {
    verifiers.square = squareVerifier(config.square.signatureKeys, config.square.webhookUrl);
  }
  const { webhookId, certHosts } = config.paypal;
  if (webhookId) {
    if (config.paypal.certFile) {
      verifiers.paypal = paypalCertFileVerifier(webhookId, readFileSync(config.paypal.certFile, 'utf8'), certHosts);
    } else if (config.paypal.verify === 'api') {
      const client = createPaypalClient({
        apiBase: config.paypal.apiBase,
        clientId: config.paypal.clientId!,
        clientSecret: config.paypal.clientSecret!,
      });
      verifiers.paypal = paypalApiVerifier(webhookId, config.paypal.apiBase, new PaypalTokens(client), certHosts);
    } else {
      verifiers.paypal = paypalCertVerifier(webhookId, new CertificateStore(certHosts, options.paypalCertCa));
    }
  }
  return verifiers;
}
