import type { Config } from '../config';
import type { Provider } from '../db/schema';
import type { ProviderResponder } from '../submission/responder';
import { PaypalApi } from './paypal/client';
import { paypalResponder } from './paypal/respond';
import { createSquareClient } from './square/client';
import { squareResponder } from './square/respond';
import { createStripeClient } from './stripe/client';
import { stripeResponder } from './stripe/respond';

/** The submitter of each provider whose API credentials are configured. */
export function createResponders(config: Config): Partial<Record<Provider, ProviderResponder>> {
  const responders: Partial<Record<Provider, ProviderResponder>> = {};
  const { stripe, paypal, square } = config;
  if (stripe.secretKey) responders.stripe = stripeResponder(createStripeClient({ secretKey: stripe.secretKey, apiBase: stripe.apiBase }));
  if (square.accessToken) responders.square = squareResponder(createSquareClient({ accessToken: square.accessToken, apiBase: square.apiBase }));
  if (paypal.clientId && paypal.clientSecret) {
    responders.paypal = paypalResponder(new PaypalApi(paypal.apiBase, { clientId: paypal.clientId, clientSecret: paypal.clientSecret }));
  }
  return responders;
}
