import { hmacSha256, sameSignature } from '../../hmac';
import { optionalHttpUrl, optionalText, requireTogether } from '../../env';
import { postJson, type AlertChannel, type AlertChannelModule } from './types';

interface WebhookSettings {
  url: string;
  secret: string;
}

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
function webhookChannel(settings: WebhookSettings): AlertChannel {
  return {
    name: 'webhook',
    async send(message, alertId) {
      const body = JSON.stringify({ type: `dispute.alert.${message.kind.split(':')[0]}`, alertId, sentAt: new Date().toISOString(), ...message });
      await postJson(settings.url, body, { 'rebuttal-signature': alertSignature(body, settings.secret) });
    },
  };
}

export const webhookModule: AlertChannelModule<WebhookSettings> = {
  name: 'webhook',
  env: { ALERT_WEBHOOK_URL: optionalHttpUrl, ALERT_WEBHOOK_SECRET: optionalText },
  settings(env) {
    const url = env.ALERT_WEBHOOK_URL as string | undefined;
    const secret = env.ALERT_WEBHOOK_SECRET as string | undefined;
    requireTogether(!!url && !secret, 'ALERT_WEBHOOK_SECRET', 'is required with ALERT_WEBHOOK_URL');
    return url && secret ? { url, secret } : undefined;
  },
  secretSettings: ['secret'],
  create: webhookChannel,
};
