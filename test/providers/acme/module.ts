import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { money } from '../../../src/money';
import { WebhookRejected } from '../../../src/errors';
import { optionalText } from '../../../src/env';
import { sameSignature } from '../../../src/hmac';
import { parseWith } from '../../../src/providers/envelope';
import { defineProvider, headerValue, ok, SigningNotConfigured, warn } from '../../../src/providers/types';

/**
 * A toy fourth provider, "Acme Pay", written only as a module: hex HMAC-SHA256 of the body in
 * `acme-signature`, one event shape, its own evidence payload. The test that registers it proves
 * a provider is its folder and one registration line.
 */

const AcmeEvent = z.object({
  event_id: z.string().min(1),
  kind: z.string().min(1),
  at: z.iso.datetime(),
  case: z.object({
    case_id: z.string().min(1),
    payment: z.string().min(1),
    cents: z.number().int().nonnegative(),
    currency: z.string().length(3),
    why: z.enum(['stolen_card', 'never_arrived', 'other']),
    respond_by: z.iso.datetime(),
    state: z.enum(['open', 'reviewing', 'merchant_won', 'merchant_lost']),
    version: z.number().int(),
  }),
});

const REASONS = { stolen_card: 'fraud', never_arrived: 'product_not_received', other: 'general' } as const;
const STATES = {
  open: { status: 'needs_response' },
  reviewing: { status: 'under_review' },
  merchant_won: { status: 'won', outcome: 'won' },
  merchant_lost: { status: 'lost', outcome: 'lost' },
} as const;

const sign = (body: string | Buffer, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

export const acmeModule = defineProvider({
  name: 'acme',
  displayName: 'Acme Pay',
  env: { ACME_WEBHOOK_SECRET: optionalText },
  settings: (env) => ({ secret: env.ACME_WEBHOOK_SECRET as string | undefined }),
  secretSettings: ['secret'],
  setup: { receive: 'ACME_WEBHOOK_SECRET', submit: '(Acme has no API)' },
  signatureHeaders: ['acme-signature'],

  parseEnvelope(json) {
    const event = parseWith(z.object({ event_id: z.string().min(1), kind: z.string().min(1) }), json, 'Acme');
    return { providerEventId: event.event_id, type: event.kind };
  },
  isDisputeEvent: (kind) => kind.startsWith('case.'),
  normalize(payload) {
    const { at, case: c } = AcmeEvent.parse(payload);
    return {
      provider: 'acme',
      providerDisputeId: c.case_id,
      providerPaymentId: c.payment,
      amount: money(c.cents, c.currency),
      reason: REASONS[c.why],
      providerReason: c.why,
      ...STATES[c.state],
      providerStatus: c.state,
      stage: 'chargeback',
      dueBy: c.respond_by,
      openedAt: at,
      occurredAt: at,
      order: c.version,
      unknownValues: [],
    };
  },
  buildEvidence: (packet) => ({
    statement: packet.letter,
    tracking: packet.facts.shipment ? `${packet.facts.shipment.carrier} ${packet.facts.shipment.trackingNumber}` : null,
    truncations: [],
  }),

  verifier: (settings) =>
    settings.secret
      ? {
          async verify(raw, headers) {
            const given = headerValue(headers, 'acme-signature');
            if (!given || !sameSignature(sign(raw, settings.secret!), given)) throw new WebhookRejected('invalid_signature');
          },
        }
      : undefined,
  client: () => undefined,
  fetcher: () => async () => {
    throw new Error('Acme has no API');
  },
  responder: () => {
    throw new Error('Acme has no API');
  },
  lister: () => {
    throw new Error('Acme has no API');
  },
  checks: (settings) => [settings.secret ? ok('acme webhooks', 'secret set') : warn('acme', 'disabled: set ACME_WEBHOOK_SECRET')],
  replay: {
    detect: (payload) => typeof payload.event_id === 'string' && typeof payload.kind === 'string',
    eventId: (payload) => String(payload.event_id),
    newEventId: () => `acme_evt_${Date.now()}`,
    eventTime: (payload) => Date.parse(String(payload.at)),
    freshen: (payload) => payload,
    sign(body, settings) {
      if (!settings.secret) throw new SigningNotConfigured('ACME_WEBHOOK_SECRET is not set');
      return { 'acme-signature': sign(body, settings.secret) };
    },
  },
});
