import type Stripe from 'stripe';

/** The official SDK, pointed at STRIPE_API_BASE when set (a local fake, a proxy), with a timeout. */
export function createStripeClient(options: { secretKey: string; apiBase?: string; maxNetworkRetries?: number }): Stripe {
  // Required here, not imported: without STRIPE_SECRET_KEY the SDK (≈3 MB of heap) is never loaded.
  const StripeSdk: typeof Stripe = require('stripe');
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  return new StripeSdk(options.secretKey, {
    timeout: 10_000,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port) || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
