import { z } from 'zod';
import { parseWith } from '../envelope';
import type { ProviderAdapter } from '../types';
import { buildSquareEvidence } from './packet';
import { normalizeSquare } from './normalize';

const SquareEnvelope = z.object({ event_id: z.string().min(1), type: z.string().min(1) });

export const square: ProviderAdapter = {
  name: 'square',
  signatureHeaders: ['x-square-hmacsha256-signature', 'x-square-signature'],
  parseEnvelope(json) {
    const envelope = parseWith(SquareEnvelope, json, 'Square');
    return { providerEventId: envelope.event_id, type: envelope.type };
  },
  isDisputeEvent: (type) => type.startsWith('dispute.'),
  normalize: normalizeSquare,
  buildEvidence: (packet, input) => ({ ...buildSquareEvidence(packet, input) }),
};
