import { z } from 'zod';
import { parseWith } from '../envelope';
import type { ProviderAdapter } from '../types';
import { buildStripeEvidence } from './packet';
import { normalizeStripe } from './normalize';

const StripeEnvelope = z.object({ id: z.string().min(1), object: z.literal('event'), type: z.string().min(1) });

export const stripe: ProviderAdapter = {
  name: 'stripe',
  signatureHeaders: ['stripe-signature'],
  parseEnvelope(json) {
    const envelope = parseWith(StripeEnvelope, json, 'Stripe');
    return { providerEventId: envelope.id, type: envelope.type };
  },
  isDisputeEvent: (type) => type.startsWith('charge.dispute.') || type.startsWith('radar.early_fraud_warning.'),
  normalize: normalizeStripe,
  buildEvidence: (packet, input) => ({ ...buildStripeEvidence(packet, input) }),
};
