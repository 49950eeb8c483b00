import { fixtureJson } from '../support/fixtures';

/** A helpdesk's content, vendor-neutral: each fake renders it in its vendor's wire format. */
export interface StoryMessage {
  id: number;
  kind: 'customer' | 'agent' | 'note';
  at: string;
  body: string;
}
export interface StoryTicket {
  id: number;
  subject: string;
  createdAt: string;
  updatedAt: string;
  tags: string[];
  requester: { id: number; name: string; email: string };
  messages: StoryMessage[];
}
export interface StoryPerson {
  id: number;
  name: string;
  email: string;
}

export interface Story {
  customer: StoryPerson;
  agent: StoryPerson;
  tickets: StoryTicket[];
}

/**
 * The fixture conversation (fixtures/helpdesks/mateo.json) with ids from `firstId`: two tickets,
 * public messages both ways and internal notes, one with a card number typed by the customer.
 */
export function mateoStory(firstId = 1000, file = 'helpdesks/mateo.json'): Story {
  const raw = fixtureJson<{ customer: { name: string; email: string }; agent: { name: string; email: string }; tickets: Array<Omit<StoryTicket, 'id' | 'requester' | 'tags' | 'messages'> & { messages: Array<Omit<StoryMessage, 'id'>> }> }>(file);
  let next = firstId;
  const customer = { id: next++, ...raw.customer };
  const agent = { id: next++, ...raw.agent };
  return {
    customer,
    agent,
    tickets: raw.tickets.map((t) => ({ ...t, id: next++, tags: [], requester: customer, messages: t.messages.map((m) => ({ ...m, id: next++ })) })),
  };
}

/** `count` extra public messages on a ticket, one a minute after `from` (for pagination tests). */
export function chatter(ticket: StoryTicket, count: number, from: string, firstId: number): void {
  for (let i = 0; i < count; i++) {
    ticket.messages.push({ id: firstId + i, kind: i % 2 ? 'agent' : 'customer', at: new Date(Date.parse(from) + i * 60_000).toISOString(), body: `Follow-up ${i + 1}` });
  }
}

/** What a helpdesk was asked to post. */
export interface Posted {
  ticketId: number;
  kind: 'note' | 'reply' | 'new_ticket';
  body: string;
  tags?: string[];
}
