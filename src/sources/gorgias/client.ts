import type { z } from 'zod';
import { conversationOfTickets } from '../helpdesk/tickets';
import { basicAuth, vendorCall, type VendorHttp } from '../http';
import type { HelpdeskClient, OutgoingMessage, PostedMessage, PulledMessage, SourceDeps } from '../types';
import type { GorgiasSettings } from './index';
import { Created, CustomersPage, MessagesPage, TicketsPage } from './schema';

type Ticket = z.infer<typeof TicketsPage>['data'][number];

/** Cursor pagination, at most 100 a page (developers.gorgias.com/reference/pagination-1). */
const PAGE_SIZE = 100;
const MAX_TICKETS = 50;

/**
 * Gorgias through its REST API with a private app's API key (Basic "{email}:{key}"). No
 * well-kept npm client exists; about four endpoints are needed.
 */
export function gorgiasClient(settings: GorgiasSettings, deps: SourceDeps): HelpdeskClient {
  const http: VendorHttp = { source: 'gorgias', base: settings.apiBase, authorization: basicAuth(settings.email, settings.apiKey), sleep: deps.sleep };
  const ticketUrl = (id: string) => `${settings.appBase}/app/ticket/${id}`;

  /** Every page of a cursor-paginated list, until next_cursor is null or `max` items. */
  async function all<T>(path: string, query: Record<string, string | number>, schema: z.ZodType<{ data: T[]; meta?: { next_cursor?: string | null } }>, what: string, max: number): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await vendorCall(http, { path, query: { ...query, limit: PAGE_SIZE, cursor }, schema, what });
      items.push(...data.data);
      cursor = data.meta?.next_cursor ?? undefined;
    } while (cursor && items.length < max);
    return items.slice(0, max);
  }

  async function ticketsOf(email: string): Promise<Ticket[]> {
    // customers?email= may return several customers for one address: walk them all.
    const customers = (await all('customers', { email }, CustomersPage, 'the customer search', 20)).filter((c) => c.email?.toLowerCase() === email.toLowerCase());
    const tickets: Ticket[] = [];
    for (const customer of customers) tickets.push(...(await all('tickets', { customer_id: customer.id }, TicketsPage, 'the ticket list', MAX_TICKETS)));
    return tickets.slice(0, MAX_TICKETS);
  }

  async function publicMessages(ticket: Ticket, _email: string, room: number): Promise<PulledMessage[]> {
    const pulled = await all(`tickets/${ticket.id}/messages`, {}, MessagesPage, `the messages of ticket ${ticket.id}`, room);
    return pulled
      .filter((m) => m.public && m.channel !== 'internal-note') // internal notes are never evidence
      .map((m): PulledMessage => ({
        sourceId: m.id,
        sourceUrl: ticketUrl(ticket.id),
        ticketId: ticket.id,
        direction: m.from_agent ? 'outbound' : 'inbound',
        author: m.sender?.name || m.sender?.email || (m.from_agent ? 'agent' : 'customer'),
        at: m.sent_datetime ?? m.created_datetime,
        body: (m.body_text ?? m.stripped_text ?? '').trim(),
      }));
  }

  async function latestTicket(email: string): Promise<Ticket | undefined> {
    const at = (t: Ticket) => t.updated_datetime ?? t.created_datetime;
    return (await ticketsOf(email)).sort((a, b) => at(b).localeCompare(at(a)))[0];
  }

  const note = (body: string) => ({ channel: 'internal-note', from_agent: true, via: 'api', sender: { email: settings.email }, body_text: body, body_html: htmlOf(body) });

  return {
    conversation: (query) => conversationOfTickets(query, ticketsOf, (t) => t.created_datetime, publicMessages),
    async postNote(message: OutgoingMessage): Promise<PostedMessage> {
      const ticket = await latestTicket(message.email);
      if (!ticket) {
        const { data } = await vendorCall(http, {
          method: 'POST',
          path: 'tickets',
          body: { customer: { email: message.email, name: message.name }, channel: 'api', via: 'api', subject: message.subject, tags: [{ name: 'chargeback' }], messages: [note(message.body)] },
          schema: Created,
          what: 'the new ticket',
        });
        return { ticketId: data.id, url: ticketUrl(data.id) };
      }
      // channel internal-note is what keeps it from the customer (a message on another channel is sent).
      await vendorCall(http, { method: 'POST', path: `tickets/${ticket.id}/messages`, body: note(message.body), schema: Created, what: `the note on ticket ${ticket.id}` });
      await vendorCall(http, { method: 'POST', path: `tickets/${ticket.id}/tags`, body: { names: ['chargeback'] }, schema: Created.partial(), what: `the tags of ticket ${ticket.id}` }).catch((err: unknown) =>
        deps.log.warn({ err, ticketId: ticket.id }, 'gorgias: the note is posted but the chargeback tag could not be added'),
      );
      return { ticketId: ticket.id, url: ticketUrl(ticket.id) };
    },
    async reply(message: OutgoingMessage) {
      const ticket = await latestTicket(message.email);
      if (!ticket) return null;
      await vendorCall(http, {
        method: 'POST',
        path: `tickets/${ticket.id}/messages`,
        body: {
          channel: 'email',
          from_agent: true,
          via: 'api',
          sender: { email: settings.email },
          receiver: { email: message.email },
          source: { type: 'email', from: { address: settings.email }, to: [{ address: message.email, name: message.name }] },
          subject: message.subject,
          body_text: message.body,
          body_html: htmlOf(message.body),
        },
        schema: Created,
        what: `the reply on ticket ${ticket.id}`,
      });
      return { ticketId: ticket.id, url: ticketUrl(ticket.id) };
    },
  };
}

function htmlOf(text: string): string {
  const escaped = text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<p>${escaped.replace(/\n/g, '<br>')}</p>`;
}
