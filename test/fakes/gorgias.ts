import type { Posted, Story, StoryTicket } from './helpdesk-story';
import { numberParam, pageOf } from './helpdesk-paging';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

/** Gorgias writes microseconds and an explicit offset: 2026-10-27T18:03:00.000000+00:00 */
const gorgiasTime = (iso: string) => new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');

/**
 * Gorgias REST as documented (developers.gorgias.com/reference): Basic "{email}:{api key}",
 * cursor pagination (limit ≤ 100, meta.next_cursor), messages with `public`, `from_agent` and
 * `channel` ("internal-note" for notes), notes posted as messages on channel internal-note.
 */
export class FakeGorgias extends RecordingServer {
  story: Story;
  maxPageSize = 100;
  readonly posted: Posted[] = [];
  private nextId = 70_000;

  constructor(story: Story, private readonly auth: { email: string; key: string }) {
    const guard = (handler: (r: RecordedRequest, p: Record<string, string>) => FakeAnswer) => (r: RecordedRequest, p: Record<string, string>) =>
      this.authorized(r) ? handler(r, p) : { status: 401, json: { message: 'Authentication failed: the API key or username is invalid.' } };
    super([
      ['GET', '/api/customers', guard((r) => this.customers(r))],
      ['GET', '/api/tickets', guard((r) => this.tickets(r))],
      ['GET', '/api/tickets/:id/messages', guard((r, p) => this.messages(r, Number(p.id)))],
      ['POST', '/api/tickets/:id/messages', guard((r, p) => this.addMessage(r, Number(p.id)))],
      ['POST', '/api/tickets/:id/tags', guard((r, p) => this.addTags(r, Number(p.id)))],
      ['POST', '/api/tickets', guard((r) => this.create(r))],
    ]);
    this.story = story;
  }

  private authorized(r: RecordedRequest): boolean {
    return r.headers.authorization === `Basic ${Buffer.from(`${this.auth.email}:${this.auth.key}`).toString('base64')}`;
  }

  private list<T>(r: RecordedRequest, items: T[]): FakeAnswer {
    const size = Math.min(numberParam(r, 'limit', 30), this.maxPageSize);
    const start = r.query.get('cursor') ? Number(Buffer.from(r.query.get('cursor')!, 'base64url').toString()) : 0;
    const { page, more, next } = pageOf(items, start, size);
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    return { status: 200, json: { object: 'list', uri: r.path, data: page, meta: { next_cursor: more ? cursor(next) : null, prev_cursor: start ? cursor(Math.max(0, start - size)) : null } } };
  }

  private customers(r: RecordedRequest): FakeAnswer {
    const email = (r.query.get('email') ?? '').toLowerCase();
    const people = [this.story.customer].filter((c) => c.email.toLowerCase() === email);
    return this.list(r, people.map((c) => ({ id: c.id, email: c.email, name: c.name, channels: [{ type: 'email', address: c.email }] })));
  }

  private ticketJson(t: StoryTicket) {
    return { id: t.id, uri: `/api/tickets/${t.id}/`, subject: t.subject, status: 'open', channel: 'email', customer: { id: t.requester.id, email: t.requester.email }, tags: t.tags.map((name, i) => ({ id: i + 1, name })), created_datetime: gorgiasTime(t.createdAt), updated_datetime: gorgiasTime(t.updatedAt) };
  }

  private tickets(r: RecordedRequest): FakeAnswer {
    const customerId = Number(r.query.get('customer_id'));
    return this.list(r, this.story.tickets.filter((t) => t.requester.id === customerId).map((t) => this.ticketJson(t)));
  }

  private messages(r: RecordedRequest, ticketId: number): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { message: 'Not found' } };
    return this.list(
      r,
      ticket.messages.map((m) => {
        const agent = m.kind !== 'customer';
        const sender = agent ? this.story.agent : ticket.requester;
        return {
          id: m.id,
          ticket_id: ticket.id,
          channel: m.kind === 'note' ? 'internal-note' : 'email',
          via: m.kind === 'customer' ? 'email' : 'helpdesk',
          public: m.kind !== 'note',
          from_agent: agent,
          sender: { id: sender.id, email: sender.email, name: sender.name },
          body_text: m.body,
          body_html: `<p>${m.body}</p>`,
          stripped_text: m.body,
          created_datetime: gorgiasTime(m.at),
          sent_datetime: m.kind === 'note' ? null : gorgiasTime(m.at),
        };
      }),
    );
  }

  private addMessage(r: RecordedRequest, ticketId: number): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { message: 'Not found' } };
    const note = r.json.channel === 'internal-note';
    const id = this.nextId++;
    ticket.messages.push({ id, kind: note ? 'note' : 'agent', at: new Date().toISOString(), body: r.json.body_text });
    this.posted.push({ ticketId, kind: note ? 'note' : 'reply', body: r.json.body_text });
    return { status: 201, json: { id, ticket_id: ticketId, channel: r.json.channel, public: !note } };
  }

  private addTags(r: RecordedRequest, ticketId: number): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { message: 'Not found' } };
    ticket.tags = [...new Set([...ticket.tags, ...(r.json?.names ?? [])])];
    return { status: 201, json: {} };
  }

  private create(r: RecordedRequest): FakeAnswer {
    const requester = { id: this.nextId++, name: r.json.customer.name, email: r.json.customer.email };
    const now = new Date().toISOString();
    const ticket: StoryTicket = { id: this.nextId++, subject: r.json.subject, createdAt: now, updatedAt: now, tags: (r.json.tags ?? []).map((t: { name: string }) => t.name), requester, messages: [] };
    for (const m of r.json.messages ?? []) ticket.messages.push({ id: this.nextId++, kind: m.channel === 'internal-note' ? 'note' : 'agent', at: now, body: m.body_text });
    this.story.tickets.push(ticket);
    this.posted.push({ ticketId: ticket.id, kind: 'new_ticket', body: r.json.messages?.[0]?.body_text, tags: ticket.tags });
    return { status: 201, json: this.ticketJson(ticket) };
  }
}
