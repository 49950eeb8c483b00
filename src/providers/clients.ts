import type Stripe from 'stripe';
import type { SquareClient } from 'square';
import type { Config } from '../config';
import { PaypalApi } from './paypal/client';
import { createSquareClient } from './square/client';
import { createStripeClient } from './stripe/client';

export interface ProviderClients {
  stripe?: Stripe;
  square?: SquareClient;
  paypal?: PaypalApi;
}

/** One API client per provider whose credentials are set, shared by reading and submitting. */
export function createProviderClients(config: Config): ProviderClients {
  const { stripe, paypal, square } = config;
  return {
    stripe: stripe.secretKey ? createStripeClient({ secretKey: stripe.secretKey, apiBase: stripe.apiBase }) : undefined,
    square: square.accessToken ? createSquareClient({ accessToken: square.accessToken, apiBase: square.apiBase }) : undefined,
    paypal: paypal.clientId && paypal.clientSecret ? new PaypalApi(paypal.apiBase, { clientId: paypal.clientId, clientSecret: paypal.clientSecret }) : undefined,
  };
}
