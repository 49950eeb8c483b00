import { z } from 'zod';
import { parseWith } from '../envelope';
import type { ProviderAdapter } from '../types';
import { buildPaypalEvidence } from './packet';
import { normalizePaypal } from './normalize';

const PaypalEnvelope = z.object({ id: z.string().min(1), event_type: z.string().min(1) });

export const paypal: ProviderAdapter = {
  name: 'paypal',
  signatureHeaders: ['paypal-transmission-sig'],
  parseEnvelope(json) {
    const envelope = parseWith(PaypalEnvelope, json, 'PayPal');
    return { providerEventId: envelope.id, type: envelope.event_type };
  },
  isDisputeEvent: (type) => type.startsWith('CUSTOMER.DISPUTE.') || type === 'RISK.DISPUTE.CREATED',
  normalize: normalizePaypal,
  buildEvidence: (packet, input) => ({ ...buildPaypalEvidence(packet, input) }),
};
