import type { Provider } from '../db/schema';
import type { ChargeRefunder } from '../resolution/refunder';
import type { ProviderResponder } from '../submission/responder';
import type { ProviderClients } from './clients';
import { paypalResponder } from './paypal/respond';
import { squareResponder } from './square/respond';
import { stripeResponder } from './stripe/respond';
import { stripeRefunder } from './stripe/warnings';

/** The submitter of each provider whose client is configured. */
export function createResponders(clients: ProviderClients): Partial<Record<Provider, ProviderResponder>> {
  return {
    ...(clients.stripe ? { stripe: stripeResponder(clients.stripe) } : {}),
    ...(clients.square ? { square: squareResponder(clients.square) } : {}),
    ...(clients.paypal ? { paypal: paypalResponder(clients.paypal) } : {}),
  };
}

/** The refunder of each provider that warns ahead of disputes and whose client is configured (Stripe). */
export function createRefunders(clients: ProviderClients): Partial<Record<Provider, ChargeRefunder>> {
  return clients.stripe ? { stripe: stripeRefunder(clients.stripe) } : {};
}
