import type { PulledMessage } from '../types';

/**
 * A helpdesk client's `conversation`: every distinct ticket of each customer email, oldest ticket
 * first, its public messages read until `limit` is reached; all of them oldest first, at most `limit`.
 */
export async function conversationOfTickets<T extends { id: string }>(
  query: { emails: string[]; limit: number },
  ticketsOf: (email: string) => Promise<T[]>,
  openedAt: (ticket: T) => string,
  messagesOf: (ticket: T, email: string, room: number) => Promise<PulledMessage[]>,
): Promise<PulledMessage[]> {
  const seen = new Set<string>();
  const messages: PulledMessage[] = [];
  for (const email of query.emails) {
    for (const ticket of (await ticketsOf(email)).sort((a, b) => openedAt(a).localeCompare(openedAt(b)))) {
      if (seen.has(ticket.id) || messages.length >= query.limit) continue;
      seen.add(ticket.id);
      messages.push(...(await messagesOf(ticket, email, query.limit - messages.length)));
    }
  }
  return messages.sort((a, b) => a.at.localeCompare(b.at)).slice(0, query.limit);
}
