import type { z } from 'zod';
import { conversationOfTickets } from '../helpdesk/tickets';
import { basicAuth, nextLink, vendorCall, type VendorHttp } from '../http';
import type { HelpdeskClient, OutgoingMessage, PostedMessage, PulledMessage, SourceDeps } from '../types';
import type { FreshdeskSettings } from './index';
import { Conversations, Created, Tickets } from './schema';

type Ticket = z.infer<typeof Tickets>[number];

/** page/per_page, at most 100 a page; the next page is in the Link header. */
const PAGE_SIZE = 100;
const MAX_TICKETS = 50;
/** GET /tickets?email= hides tickets older than 30 days unless updated_since is given. */
const SINCE_EVER = '2000-01-01T00:00:00Z';

/**
 * Freshdesk v2 through its REST API with an API key (Basic "{key}:X"). A thin fetch client:
 * freshdesk-api's listAllConversations cannot page past the first 30 (shared/SOURCES.md).
 */
export function freshdeskClient(settings: FreshdeskSettings, deps: SourceDeps): HelpdeskClient {
  const http: VendorHttp = { source: 'freshdesk', base: settings.apiBase, authorization: basicAuth(settings.apiKey, 'X'), sleep: deps.sleep };
  const ticketUrl = (id: string) => `${settings.appBase}/a/tickets/${id}`;

  /** Every page, following Link rel="next" until it is missing or `max` items. */
  async function all<T>(path: string, query: Record<string, string | number>, schema: z.ZodType<T[]>, what: string, max: number): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    let q: Record<string, string | number> | undefined = { ...query, per_page: PAGE_SIZE, page: 1 };
    while (next && items.length < max) {
      const answer: { data: T[]; headers: Headers } = await vendorCall(http, { path: next, query: q, schema, what });
      items.push(...answer.data);
      next = nextLink(answer.headers.get('link'));
      q = undefined;
    }
    return items.slice(0, max);
  }

  const ticketsOf = (email: string) => all('tickets', { email, updated_since: SINCE_EVER, include: 'description' }, Tickets, 'the ticket list', MAX_TICKETS);
  const latestTicket = async (email: string) => (await ticketsOf(email)).sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0];

  /** The customer's opening message (the ticket's description) and the ticket's public conversations. */
  async function ticketMessages(ticket: Ticket, email: string, room: number): Promise<PulledMessage[]> {
    const url = ticketUrl(ticket.id);
    const opening: PulledMessage[] = ticket.description_text?.trim()
      ? [{ sourceId: `ticket-${ticket.id}`, sourceUrl: url, ticketId: ticket.id, direction: 'inbound', author: email, at: ticket.created_at, body: ticket.description_text.trim() }]
      : [];
    const conversations = await all(`tickets/${ticket.id}/conversations`, {}, Conversations, `the conversations of ticket ${ticket.id}`, room - opening.length);
    return [
      ...opening,
      ...conversations
        .filter((c) => !c.private) // private notes are never evidence
        .map((c): PulledMessage => ({
          sourceId: c.id,
          sourceUrl: url,
          ticketId: ticket.id,
          direction: c.incoming ? 'inbound' : 'outbound',
          author: c.from_email || (c.incoming ? email : `agent ${c.user_id ?? ''}`.trim()),
          at: c.created_at,
          body: (c.body_text ?? '').trim(),
        })),
    ];
  }

  async function note(ticket: Pick<Ticket, 'id' | 'tags'>, body: string): Promise<void> {
    await vendorCall(http, { method: 'POST', path: `tickets/${ticket.id}/notes`, body: { body: htmlOf(body), private: true }, schema: Created, what: `the note on ticket ${ticket.id}` });
    // PUT tags replaces the list: merge with the ones the ticket has.
    const tags = [...new Set([...(ticket.tags ?? []), 'chargeback'])];
    if (ticket.tags?.includes('chargeback')) return;
    await vendorCall(http, { method: 'PUT', path: `tickets/${ticket.id}`, body: { tags }, schema: Created, what: `the tags of ticket ${ticket.id}` }).catch((err: unknown) =>
      deps.log.warn({ err, ticketId: ticket.id }, 'freshdesk: the note is posted but the chargeback tag could not be added'),
    );
  }

  return {
    conversation: (query) => conversationOfTickets(query, ticketsOf, (t) => t.created_at, ticketMessages),
    async postNote(message: OutgoingMessage): Promise<PostedMessage> {
      const ticket = await latestTicket(message.email);
      if (ticket) {
        await note(ticket, message.body);
        return { ticketId: ticket.id, url: ticketUrl(ticket.id) };
      }
      const { data } = await vendorCall(http, {
        method: 'POST',
        path: 'tickets',
        body: { email: message.email, name: message.name, subject: message.subject, description: 'Payment dispute opened: see the private note.', status: 2, priority: 2, tags: ['chargeback'] },
        schema: Created,
        what: 'the new ticket',
      });
      await note({ id: data.id, tags: ['chargeback'] }, message.body);
      return { ticketId: data.id, url: ticketUrl(data.id) };
    },
    async reply(message: OutgoingMessage) {
      const ticket = await latestTicket(message.email);
      if (!ticket) return null;
      await vendorCall(http, { method: 'POST', path: `tickets/${ticket.id}/reply`, body: { body: htmlOf(message.body) }, schema: Created, what: `the reply on ticket ${ticket.id}` });
      return { ticketId: ticket.id, url: ticketUrl(ticket.id) };
    },
  };
}

function htmlOf(text: string): string {
  const escaped = text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<div>${escaped.replace(/\n/g, '<br>')}</div>`;
}
