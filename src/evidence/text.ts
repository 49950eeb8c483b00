import type { OrderRecords } from './repository';

/** A cut made to fit a provider's limit: recorded in the packet, never silent. */
export interface Truncation {
  field: string;
  originalLength: number;
  keptLength: number;
}

const MARKER = ' […truncated: the full text is in the attached PDF]';

/** The text as it fits in `limit` characters, the cut noted in `truncations`. */
export function fit(text: string, limit: number, field: string, truncations: Truncation[]): string {
  if (text.length <= limit) return text;
  const kept = `${text.slice(0, Math.max(0, limit - MARKER.length))}${MARKER}`.slice(0, limit);
  truncations.push({ field, originalLength: text.length, keptLength: kept.length });
  return kept;
}

/** The conversation, oldest first, one message a paragraph (bodies already masked at storage). */
export function transcript(records: OrderRecords | undefined): string {
  if (!records?.messages.length) return '';
  return records.messages
    .map((m) => `${m.at.slice(0, 16).replace('T', ' ')} UTC · ${m.channel}${m.source ? ` (${m.source} ticket ${m.ticketId ?? '?'})` : ''} · ${m.direction === 'inbound' ? 'customer' : 'merchant'} (${m.from}):\n${m.body}`)
    .join('\n\n');
}

/** The PDF attached to every packet. */
export const PACKET_PDF_NAME = 'rebuttal-evidence.pdf';
