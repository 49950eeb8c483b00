import { hmacSha256, sameSignature } from '../../providers/hmac';
import type { AlertChannel } from './types';
import { postJson } from './types';

/** The signature a receiver recomputes: hex HMAC-SHA256 of the exact body bytes with ALERT_WEBHOOK_SECRET. */
export function alertSignature(body: string, secret: string): string {
  return hmacSha256(secret, body, 'hex');
}

/**
 * What a receiver does (README has the same recipe): the signature matches the exact body, and
 * the body's `sentAt` is recent, so a captured request cannot be replayed later.
 */
export function verifyAlertWebhook(rawBody: string, signature: string | undefined, secret: string, now = new Date(), toleranceMs = 5 * 60_000): boolean {
  if (!signature || !sameSignature(alertSignature(rawBody, secret), signature)) return false;
  const sentAt = Date.parse((JSON.parse(rawBody) as { sentAt?: string }).sentAt ?? '');
  return Math.abs(now.getTime() - sentAt) <= toleranceMs;
}

/**
 * A generic JSON webhook, signed in Rebuttal-Signature. `sentAt` (signed with the body) lets a
 * receiver refuse replays; `alertId` lets it drop a repeated delivery.
 */
export function webhookChannel(settings: { url: string; secret: string }): AlertChannel {
  return {
    name: 'webhook',
    async send(message, alertId) {
      const body = JSON.stringify({ type: `dispute.alert.${message.kind.split(':')[0]}`, alertId, sentAt: new Date().toISOString(), ...message });
      await postJson(settings.url, body, { 'rebuttal-signature': alertSignature(body, settings.secret) });
    },
  };
}
