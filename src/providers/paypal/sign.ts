import { randomUUID, sign } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Stands for PayPal's certificate URL in development: allowlisted by default, never fetched in cert-file mode. */
export const DEV_CERT_URL = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-rebuttal-development';

/** `transmissionId|transmissionTime|webhookId|crc32(body)`, the CRC as an unsigned decimal. */
export function paypalSignedString(transmissionId: string, transmissionTime: string, webhookId: string, body: Buffer): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body) >>> 0}`;
}

/** The headers PayPal would send with this body, signed with a development key (tests and `rebuttal replay`). */
export function paypalSignatureHeaders(
  body: string | Buffer,
  options: { webhookId: string; privateKeyPem: string; certUrl?: string; transmissionId?: string; transmissionTime?: string },
): Record<string, string> {
  const transmissionId = options.transmissionId ?? randomUUID();
  const transmissionTime = options.transmissionTime ?? new Date().toISOString();
  const data = paypalSignedString(transmissionId, transmissionTime, options.webhookId, Buffer.from(body));
  return {
    'paypal-transmission-id': transmissionId,
    'paypal-transmission-time': transmissionTime,
    'paypal-transmission-sig': sign('sha256', Buffer.from(data), options.privateKeyPem).toString('base64'),
    'paypal-cert-url': options.certUrl ?? DEV_CERT_URL,
    'paypal-auth-algo': 'SHA256withRSA',
  };
}
