import { hmacSha256 } from '../../hmac';

/** The Stripe-Signature header Stripe would send for this body (used by tests and `rebuttal replay`). */
export function stripeSignatureHeader(body: string | Buffer, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)]);
  return `t=${timestamp},v1=${hmacSha256(secret, signed, 'hex')}`;
}
