import { z } from 'zod';
import type Stripe from 'stripe';
import { list, optionalHttpUrl, optionalText } from '../../env';
import { rejectedOr } from '../../errors';
import { parseWith } from '../envelope';
import { randomText, shiftTimes } from '../replay';
import { defineProvider, fail, ok, SigningNotConfigured, warn } from '../types';
import { createStripeClient } from './client';
import { StripeDispute, stripeDisputeFacts, normalizeStripe } from './normalize';
import { buildStripeEvidence } from './packet';
import { stripePaymentFacts } from './payment';
import { stripeLister } from './list';
import { stripeResponder } from './respond';
import { stripeSignatureHeader } from './sign';
import { stripeVerifier } from './verify';
import { readStripeWarning, stripeRefunder } from './warnings';

const StripeEnvelope = z.object({ id: z.string().min(1), object: z.literal('event'), type: z.string().min(1) });

/** Stripe's times are unix seconds under these keys (event, dispute, balance transactions). */
const TIME_KEYS = new Set(['created', 'due_by', 'available_on']);

const newStripeEventId = () => `evt_${randomText(24)}`;

export interface StripeSettings {
  webhookSecrets: readonly string[];
  secretKey?: string;
  apiBase?: string;
}

export const stripeModule = defineProvider({
  name: 'stripe',
  displayName: 'Stripe',
  env: {
    STRIPE_WEBHOOK_SECRETS: list.pipe(z.array(z.string().regex(/^whsec_\S+$/, 'each secret must look like whsec_…'))),
    STRIPE_SECRET_KEY: optionalText,
    STRIPE_API_BASE: optionalHttpUrl,
  },
  settings: (env): StripeSettings => ({
    webhookSecrets: env.STRIPE_WEBHOOK_SECRETS as string[],
    secretKey: env.STRIPE_SECRET_KEY as string | undefined,
    apiBase: env.STRIPE_API_BASE as string | undefined,
  }),
  secretSettings: ['webhookSecrets', 'secretKey'],
  setup: { receive: 'STRIPE_WEBHOOK_SECRETS', submit: 'STRIPE_SECRET_KEY' },
  signatureHeaders: ['stripe-signature'],

  parseEnvelope(json) {
    const envelope = parseWith(StripeEnvelope, json, 'Stripe');
    return { providerEventId: envelope.id, type: envelope.type };
  },
  isDisputeEvent: (type) => type.startsWith('charge.dispute.') || type.startsWith('radar.early_fraud_warning.'),
  normalize: normalizeStripe,
  buildEvidence: (packet) => ({ ...buildStripeEvidence(packet) }),

  verifier: (settings) => (settings.webhookSecrets.length > 0 ? stripeVerifier(settings.webhookSecrets) : undefined),
  client: (settings): Stripe | undefined => (settings.secretKey ? createStripeClient({ secretKey: settings.secretKey, apiBase: settings.apiBase }) : undefined),
  fetcher: (stripe) => async (id) => {
    const dispute = await stripe.disputes.retrieve(id).catch((err: unknown) => Promise.reject(rejectedOr('stripe', err)));
    // A dispute read now is as new as a fact gets: it is ordered at the time of the read, as Stripe's events are at theirs.
    return stripeDisputeFacts(StripeDispute.parse(dispute), Math.floor(Date.now() / 1000));
  },
  responder: stripeResponder,
  lister: stripeLister,
  payment: (client) => (dispute) => stripePaymentFacts(client, dispute.providerPaymentId!),
  refunder: stripeRefunder,
  readWarning: readStripeWarning,

  checks(settings) {
    const checks = [];
    if (settings.webhookSecrets.length === 0) checks.push(warn('stripe', 'disabled: set STRIPE_WEBHOOK_SECRETS (whsec_…) from the Stripe dashboard'));
    else checks.push(ok('stripe webhooks', `${settings.webhookSecrets.length} signing secret(s)`));
    if (settings.webhookSecrets.length > 0 && !settings.secretKey) checks.push(warn('stripe api', 'STRIPE_SECRET_KEY is not set: evidence cannot be submitted'));
    if (settings.secretKey && !/^(sk|rk)_(test|live)_\S+$/.test(settings.secretKey)) checks.push(fail('stripe api', 'STRIPE_SECRET_KEY must look like sk_live_… or rk_live_…'));
    return checks;
  },
  replay: {
    detect: (payload) => payload.object === 'event' && typeof payload.type === 'string',
    eventId: (payload) => (typeof payload.id === 'string' ? payload.id : '?'),
    eventTime: (payload) => (typeof payload.created === 'number' ? payload.created * 1000 : NaN),
    newEventId: newStripeEventId,
    freshen: (payload, offsetMs) => ({ ...(shiftTimes(payload, offsetMs, TIME_KEYS) as object), id: newStripeEventId() }),
    sign(body, settings) {
      const [secret] = settings.webhookSecrets;
      if (!secret) throw new SigningNotConfigured('STRIPE_WEBHOOK_SECRETS is not set');
      return { 'stripe-signature': stripeSignatureHeader(body, secret) };
    },
  },
});
