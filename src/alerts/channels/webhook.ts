import { hmacSha256 } from '../../providers/hmac';
import type { AlertChannel } from './types';
import { postJson } from './types';

/** The signature a receiver recomputes: hex HMAC-SHA256 of the exact body bytes with ALERT_WEBHOOK_SECRET. */
export function alertSignature(body: string, secret: string): string {
  return hmacSha256(secret, body, 'hex');
}

/** A generic JSON webhook, signed in Rebuttal-Signature; `sentAt` in the body lets receivers refuse replays. */
export function webhookChannel(settings: { url: string; secret: string }): AlertChannel {
  return {
    name: 'webhook',
    async send(message) {
      const body = JSON.stringify({ type: `dispute.alert.${message.kind.split(':')[0]}`, sentAt: new Date().toISOString(), ...message });
      await postJson(settings.url, body, { 'rebuttal-signature': alertSignature(body, settings.secret) });
    },
  };
}
