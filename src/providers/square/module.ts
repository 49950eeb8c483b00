import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SquareClient } from 'square';
import { baseUrl, httpUrl, list, optionalText, requireTogether } from '../../env';
import { ProviderRejected, rejectedOr } from '../../errors';
import { parseWith } from '../envelope';
import { rfc3339Time, shiftTimes } from '../replay';
import { defineProvider, fail, ok, SigningNotConfigured, warn } from '../types';
import { createSquareClient } from './client';
import { squarePaymentFacts } from './payment';
import { normalizeSquare, SquareDispute, squareDisputeFacts, squareWireDispute } from './normalize';
import { buildSquareEvidence } from './packet';
import { squareLister } from './list';
import { squareResponder } from './respond';
import { squareSignature } from './sign';
import { squareVerifier } from './verify';

const SquareEnvelope = z.object({ event_id: z.string().min(1), type: z.string().min(1) });
const SQUARE_PRODUCTION = 'https://connect.squareup.com';

export interface SquareSettings {
  signatureKeys: readonly string[];
  webhookUrl?: string;
  accessToken?: string;
  apiBase: string;
}

export const squareModule = defineProvider({
  name: 'square',
  displayName: 'Square',
  env: {
    SQUARE_SIGNATURE_KEYS: list,
    SQUARE_WEBHOOK_URL: optionalText.pipe(z.url({ error: 'must be an absolute URL' }).optional()),
    SQUARE_ACCESS_TOKEN: optionalText,
    SQUARE_API_BASE: httpUrl.default(SQUARE_PRODUCTION),
  },
  settings(env): SquareSettings {
    const signatureKeys = env.SQUARE_SIGNATURE_KEYS as string[];
    requireTogether(signatureKeys.length > 0 && !env.SQUARE_WEBHOOK_URL, 'SQUARE_WEBHOOK_URL', 'is required when SQUARE_SIGNATURE_KEYS is set: Square signs the notification URL');
    return {
      signatureKeys,
      webhookUrl: env.SQUARE_WEBHOOK_URL as string | undefined,
      accessToken: env.SQUARE_ACCESS_TOKEN as string | undefined,
      apiBase: baseUrl(env.SQUARE_API_BASE as string),
    };
  },
  secretSettings: ['signatureKeys', 'accessToken'],
  setup: { receive: 'SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL', submit: 'SQUARE_ACCESS_TOKEN' },
  signatureHeaders: ['x-square-hmacsha256-signature', 'x-square-signature'],

  parseEnvelope(json) {
    const envelope = parseWith(SquareEnvelope, json, 'Square');
    return { providerEventId: envelope.event_id, type: envelope.type };
  },
  isDisputeEvent: (type) => type.startsWith('dispute.'),
  normalize: normalizeSquare,
  buildEvidence: (packet) => ({ ...buildSquareEvidence(packet) }),

  verifier: (settings) => (settings.signatureKeys.length > 0 && settings.webhookUrl ? squareVerifier(settings.signatureKeys, settings.webhookUrl) : undefined),
  client: (settings): SquareClient | undefined => (settings.accessToken ? createSquareClient({ accessToken: settings.accessToken, apiBase: settings.apiBase }) : undefined),
  fetcher: (square) => async (id) => {
    const answer = await square.disputes.get({ disputeId: id }).catch((err: unknown) => Promise.reject(rejectedOr('square', err)));
    if (!answer.dispute) throw new ProviderRejected('square', 404, `dispute ${id} not found`);
    const dispute = SquareDispute.parse(squareWireDispute(answer.dispute));
    return squareDisputeFacts(dispute, dispute.updated_at ?? new Date().toISOString());
  },
  responder: squareResponder,
  lister: squareLister,
  payment: (client) => (dispute) => squarePaymentFacts(client, dispute.providerPaymentId!),

  checks(settings) {
    const checks = [];
    if (settings.signatureKeys.length === 0) checks.push(warn('square', 'disabled: set SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL'));
    else if (!settings.webhookUrl) checks.push(fail('square webhooks', 'SQUARE_WEBHOOK_URL is required: Square signs the notification URL'));
    else if (!settings.webhookUrl.startsWith('https://')) checks.push(fail('square webhooks', `SQUARE_WEBHOOK_URL must be the absolute https URL registered with Square, not ${settings.webhookUrl}`));
    else checks.push(ok('square webhooks', `verifying against ${settings.webhookUrl}`));
    if (settings.signatureKeys.length > 0 && !settings.accessToken) checks.push(warn('square api', 'SQUARE_ACCESS_TOKEN is not set: evidence cannot be submitted'));
    return checks;
  },
  replay: {
    detect: (payload) => typeof payload.event_id === 'string' && typeof payload.merchant_id === 'string',
    eventId: (payload) => (typeof payload.event_id === 'string' ? payload.event_id : '?'),
    eventTime: (payload) => rfc3339Time(payload.created_at),
    newEventId: randomUUID,
    freshen: (payload, offsetMs) => ({ ...(shiftTimes(payload, offsetMs) as object), event_id: randomUUID() }),
    sign(body, settings) {
      const [key] = settings.signatureKeys;
      if (!key || !settings.webhookUrl) throw new SigningNotConfigured('SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL must be set');
      return { 'x-square-hmacsha256-signature': squareSignature(body, settings.webhookUrl, key) };
    },
  },
});
