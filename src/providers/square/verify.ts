import type { IncomingHttpHeaders } from 'node:http';
import { sameSignature } from '../../hmac';
import { WebhookRejected } from '../../errors';
import { headerValue, type WebhookVerifier } from '../types';
import { squareSignature } from './sign';

/**
 * Square signs the URL it posts to. Behind a proxy the URL this process sees differs, so the
 * configured notification URL is what we verify against, never the request's own.
 */
export function squareVerifier(signatureKeys: readonly string[], notificationUrl: string): WebhookVerifier {
  return {
    async verify(raw: Buffer, headers: IncomingHttpHeaders) {
      const received = headerValue(headers, 'x-square-hmacsha256-signature');
      if (!received) throw new WebhookRejected('invalid_signature', 'x-square-hmacsha256-signature header absent');
      const matches = signatureKeys.some((key) => sameSignature(squareSignature(raw, notificationUrl, key), received));
      if (!matches) throw new WebhookRejected('invalid_signature', 'no Square signature matches a configured key');
    },
  };
}
