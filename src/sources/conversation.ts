import type { OrderRecords } from '../evidence/repository';

export interface ConversationEntry {
  at: string;
  direction: 'inbound' | 'outbound';
  channel: string;
  /** zendesk | gorgias | freshdesk for pulled messages; api for messages pushed through the admin API or an import */
  source: string;
  sourceUrl: string | null;
  ticketId: string | null;
  author: string;
  body: string;
}

/** The order's messages as GET /api/disputes/:id shows them, oldest first (bodies masked at storage). */
export function conversationOf(records: OrderRecords | undefined): ConversationEntry[] {
  return (records?.messages ?? [])
    .map((m) => ({
      at: m.at,
      direction: m.direction,
      channel: m.channel,
      source: m.source ?? 'api',
      sourceUrl: m.sourceUrl ?? null,
      ticketId: m.ticketId ?? null,
      author: m.author ?? m.from,
      body: m.body,
    }))
    .sort((a, b) => a.at.localeCompare(b.at));
}
