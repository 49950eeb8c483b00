import { hmacSha256 } from '../../hmac';

/** The x-square-hmacsha256-signature Square would send: HMAC of the notification URL and the body. */
export function squareSignature(body: string | Buffer, notificationUrl: string, signatureKey: string): string {
  return hmacSha256(signatureKey, Buffer.concat([Buffer.from(notificationUrl), Buffer.from(body)]), 'base64');
}
