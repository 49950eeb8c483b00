import { conversationOfTickets } from '../helpdesk/tickets';
import { basicAuth, vendorCall, type VendorHttp } from '../http';
import type { HelpdeskClient, OutgoingMessage, PostedMessage, PulledMessage, SourceDeps } from '../types';
import { CommentsPage, TicketAnswer, TicketsPage, UsersPage } from './schema';
import type { ZendeskSettings } from './index';
import type { z } from 'zod';

type Ticket = z.infer<typeof TicketsPage>['tickets'][number];

/** Most endpoints cap a page at 100 (developer.zendesk.com/api-reference/introduction/pagination). */
const PAGE_SIZE = 100;
/** How many tickets of one customer are read at most: the rest are older than any dispute. */
const MAX_TICKETS = 50;

/**
 * Zendesk Support through its REST API with API-token auth (Basic "{email}/token:{token}").
 * A thin fetch client: node-zendesk resolves 429s instead of throwing and drops sideloaded users,
 * which would silently corrupt evidence (shared/SOURCES.md).
 */
export function zendeskClient(settings: ZendeskSettings, deps: SourceDeps): HelpdeskClient {
  const http: VendorHttp = { source: 'zendesk', base: settings.apiBase, authorization: basicAuth(`${settings.email}/token`, settings.apiToken), sleep: deps.sleep };
  const ticketUrl = (id: string) => `${settings.agentBase}/agent/tickets/${id}`;

  /** Exact-email matches only: Zendesk's user search is fuzzy. */
  async function usersOf(email: string): Promise<string[]> {
    const { data } = await vendorCall(http, { path: 'users/search.json', query: { query: `email:${email}` }, schema: UsersPage, what: 'the user search' });
    return data.users.filter((u) => u.email?.toLowerCase() === email.toLowerCase()).map((u) => u.id);
  }

  async function ticketsOf(email: string): Promise<Ticket[]> {
    const tickets: Ticket[] = [];
    for (const userId of await usersOf(email)) {
      let next: string | undefined = `users/${userId}/tickets/requested.json`;
      let query: Record<string, string | number> | undefined = { 'page[size]': PAGE_SIZE };
      while (next && tickets.length < MAX_TICKETS) {
        const { data }: { data: z.infer<typeof TicketsPage> } = await vendorCall(http, { path: next, query, schema: TicketsPage, what: 'the requested tickets' });
        tickets.push(...data.tickets);
        next = data.meta?.has_more && data.links?.next ? data.links.next : undefined;
        query = undefined;
      }
    }
    return tickets.slice(0, MAX_TICKETS);
  }

  async function publicComments(ticket: Ticket, room: number): Promise<PulledMessage[]> {
    const messages: PulledMessage[] = [];
    let next: string | undefined = `tickets/${ticket.id}/comments.json`;
    let query: Record<string, string | number> | undefined = { 'page[size]': PAGE_SIZE, include: 'users' };
    while (next && messages.length < room) {
      const { data }: { data: z.infer<typeof CommentsPage> } = await vendorCall(http, { path: next, query, schema: CommentsPage, what: `the comments of ticket ${ticket.id}` });
      const users = new Map((data.users ?? []).map((u) => [u.id, u]));
      for (const c of data.comments) {
        if (!c.public) continue; // internal notes are never evidence
        const author = c.author_id ? users.get(c.author_id) : undefined;
        const customer = author?.role ? author.role === 'end-user' : c.author_id === ticket.requester_id;
        messages.push({
          sourceId: c.id,
          sourceUrl: ticketUrl(ticket.id),
          ticketId: ticket.id,
          direction: customer ? 'inbound' : 'outbound',
          author: author?.name ?? (customer ? 'customer' : 'agent'),
          at: new Date(c.created_at).toISOString(),
          body: (c.plain_body ?? c.body ?? '').trim(),
        });
      }
      next = data.meta?.has_more && data.links?.next ? data.links.next : undefined;
      query = undefined;
    }
    return messages.slice(0, room);
  }

  async function latestTicket(email: string): Promise<Ticket | undefined> {
    return (await ticketsOf(email)).sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0];
  }

  async function comment(ticketId: string, body: string, isPublic: boolean, tag: boolean): Promise<PostedMessage> {
    // Only the comment (and tags) in the update, never other ticket fields; public is always explicit.
    const ticket = { comment: { body, public: isPublic }, ...(tag ? { additional_tags: ['chargeback'] } : {}) };
    const { data } = await vendorCall(http, { method: 'PUT', path: `tickets/${ticketId}.json`, body: { ticket }, schema: TicketAnswer, what: `the update of ticket ${ticketId}` });
    return { ticketId: data.ticket.id, url: ticketUrl(data.ticket.id) };
  }

  return {
    conversation: (query) => conversationOfTickets(query, ticketsOf, (t) => t.created_at, (ticket, _email, room) => publicComments(ticket, room)),
    async postNote(note: OutgoingMessage) {
      const ticket = await latestTicket(note.email);
      if (ticket) return comment(ticket.id, note.body, false, true);
      const { data } = await vendorCall(http, {
        method: 'POST',
        path: 'tickets.json',
        body: { ticket: { subject: note.subject, requester: { email: note.email, name: note.name ?? note.email }, comment: { body: note.body, public: false }, tags: ['chargeback'] } },
        schema: TicketAnswer,
        what: 'the new ticket',
      });
      return { ticketId: data.ticket.id, url: ticketUrl(data.ticket.id) };
    },
    async reply(reply: OutgoingMessage) {
      const ticket = await latestTicket(reply.email);
      return ticket ? comment(ticket.id, reply.body, true, false) : null;
    },
  };
}
