import type { Config } from '../config';
import type { Provider } from '../db/schema';
import type { DisputeLister } from '../reconcile/ports';
import type { ProviderClients } from './clients';
import { paypalLister } from './paypal/list';
import { squareLister } from './square/list';
import { stripeLister } from './stripe/list';

/** A dispute-list reader for each provider whose API credentials are set: what reconciliation reads. */
export function createListers(clients: ProviderClients): Partial<Record<Provider, DisputeLister>> {
  const listers: Partial<Record<Provider, DisputeLister>> = {};
  if (clients.stripe) listers.stripe = stripeLister(clients.stripe);
  if (clients.paypal) listers.paypal = paypalLister(clients.paypal);
  if (clients.square) listers.square = squareLister(clients.square);
  return listers;
}

/** The providers reconciliation reads: those whose API credentials are set. */
export function listableProviders(config: Config): Provider[] {
  const { stripe, paypal, square } = config;
  return [
    ...(stripe.secretKey ? (['stripe'] as const) : []),
    ...(paypal.clientId && paypal.clientSecret ? (['paypal'] as const) : []),
    ...(square.accessToken ? (['square'] as const) : []),
  ];
}
