import type { Provider } from '../db/schema';
import type { ProviderResponder } from '../submission/responder';
import type { ProviderClients } from './clients';
import { paypalResponder } from './paypal/respond';
import { squareResponder } from './square/respond';
import { stripeResponder } from './stripe/respond';

/** The submitter of each provider whose client is configured. */
export function createResponders(clients: ProviderClients): Partial<Record<Provider, ProviderResponder>> {
  return {
    ...(clients.stripe ? { stripe: stripeResponder(clients.stripe) } : {}),
    ...(clients.square ? { square: squareResponder(clients.square) } : {}),
    ...(clients.paypal ? { paypal: paypalResponder(clients.paypal) } : {}),
  };
}
