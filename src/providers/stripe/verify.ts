import type { IncomingHttpHeaders } from 'node:http';
import { hmacSha256, sameSignature } from '../../hmac';
import { WebhookRejected } from '../../errors';
import { headerValue, type WebhookVerifier } from '../types';

export const STRIPE_TOLERANCE_SECONDS = 300;

export function parseStripeSignature(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key === 't' && value && /^\d+$/.test(value)) timestamp ??= Number(value);
    if (key === 'v1' && value) signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/** Any v1 signature matching any configured secret passes: Stripe signs with both during a roll. */
export function stripeVerifier(secrets: readonly string[], now: () => number = Date.now): WebhookVerifier {
  return {
    async verify(raw: Buffer, headers: IncomingHttpHeaders) {
      const header = headerValue(headers, 'stripe-signature');
      const parsed = header ? parseStripeSignature(header) : undefined;
      if (!parsed) throw new WebhookRejected('invalid_signature', 'Stripe-Signature header absent or unreadable');
      const signed = Buffer.concat([Buffer.from(`${parsed.timestamp}.`), raw]);
      const matches = secrets.some((secret) => {
        const expected = hmacSha256(secret, signed, 'hex');
        return parsed.signatures.some((received) => sameSignature(expected, received));
      });
      if (!matches) throw new WebhookRejected('invalid_signature', 'no Stripe signature matches a configured secret');
      const ageSeconds = Math.floor(now() / 1000) - parsed.timestamp;
      if (Math.abs(ageSeconds) > STRIPE_TOLERANCE_SECONDS) {
        throw new WebhookRejected('stale_timestamp', `Stripe timestamp is ${ageSeconds} s from now`);
      }
    },
  };
}
