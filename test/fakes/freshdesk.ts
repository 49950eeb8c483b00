import type { Posted, Story, StoryTicket } from './helpdesk-story';
import { linkTo, numberParam, pageOf } from './helpdesk-paging';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

/**
 * Freshdesk API v2 as documented (developers.freshdesk.com/api): Basic "{api key}:X",
 * page/per_page (≤ 100) with a Link rel="next" header while more pages exist, the customer's
 * first message as the ticket's description, conversations with `private` and `incoming`, notes
 * on POST /tickets/:id/notes, tags replaced by PUT /tickets/:id.
 */
export class FakeFreshdesk extends RecordingServer {
  story: Story;
  maxPageSize = 100;
  readonly posted: Posted[] = [];
  private nextId = 50_000;

  constructor(story: Story, private readonly apiKey: string) {
    const guard = (handler: (r: RecordedRequest, p: Record<string, string>) => FakeAnswer) => (r: RecordedRequest, p: Record<string, string>) =>
      this.authorized(r) ? handler(r, p) : { status: 401, json: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' } };
    super([
      ['GET', '/api/v2/tickets', guard((r) => this.tickets(r))],
      ['GET', '/api/v2/tickets/:id/conversations', guard((r, p) => this.conversations(r, Number(p.id)))],
      ['POST', '/api/v2/tickets/:id/notes', guard((r, p) => this.add(r, Number(p.id), 'note'))],
      ['POST', '/api/v2/tickets/:id/reply', guard((r, p) => this.add(r, Number(p.id), 'reply'))],
      ['PUT', '/api/v2/tickets/:id', guard((r, p) => this.update(r, Number(p.id)))],
      ['POST', '/api/v2/tickets', guard((r) => this.create(r))],
    ]);
    this.story = story;
  }

  private authorized(r: RecordedRequest): boolean {
    return r.headers.authorization === `Basic ${Buffer.from(`${this.apiKey}:X`).toString('base64')}`;
  }

  private paged<T>(r: RecordedRequest, items: T[]): FakeAnswer {
    const size = Math.min(numberParam(r, 'per_page', 30), this.maxPageSize);
    const page = numberParam(r, 'page', 1);
    const slice = pageOf(items, (page - 1) * size, size);
    return { status: 200, json: slice.page, headers: slice.more ? { link: `<${linkTo(this.url, r, { page: page + 1, per_page: size })}>; rel="next"` } : {} };
  }

  private ticketJson(t: StoryTicket, withDescription: boolean) {
    const first = t.messages.find((m) => m.kind === 'customer');
    return {
      id: t.id,
      subject: t.subject,
      status: 2,
      priority: 1,
      source: 1,
      requester_id: t.requester.id,
      tags: t.tags,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
      ...(withDescription ? { description: `<div>${first?.body ?? ''}</div>`, description_text: first?.body ?? '' } : {}),
    };
  }

  private tickets(r: RecordedRequest): FakeAnswer {
    const email = (r.query.get('email') ?? '').toLowerCase();
    // Without updated_since only the last 30 days show: our fixture tickets would be hidden.
    const since = r.query.get('updated_since');
    const visible = this.story.tickets.filter((t) => t.requester.email.toLowerCase() === email && (since ? t.updatedAt >= since : Date.now() - Date.parse(t.updatedAt) < 30 * 86_400_000));
    return this.paged(r, visible.map((t) => this.ticketJson(t, r.query.get('include') === 'description')));
  }

  private conversations(r: RecordedRequest, ticketId: number): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { code: 'access_denied', message: 'not found' } };
    const first = ticket.messages.find((m) => m.kind === 'customer');
    return this.paged(
      r,
      ticket.messages
        .filter((m) => m !== first)
        .map((m) => ({
          id: m.id,
          body: `<div>${m.body}</div>`,
          body_text: m.body,
          incoming: m.kind === 'customer',
          private: m.kind === 'note',
          user_id: m.kind === 'customer' ? ticket.requester.id : this.story.agent.id,
          support_email: 'support@northwind.example.com',
          source: m.kind === 'note' ? 2 : 0,
          ticket_id: ticket.id,
          from_email: m.kind === 'customer' ? ticket.requester.email : m.kind === 'agent' ? 'support@northwind.example.com' : null,
          to_emails: [],
          created_at: m.at,
          updated_at: m.at,
        })),
    );
  }

  private add(r: RecordedRequest, ticketId: number, kind: 'note' | 'reply'): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { code: 'access_denied', message: 'not found' } };
    const isPrivate = kind === 'note' && r.json.private !== false;
    const id = this.nextId++;
    const body = String(r.json.body).replace(/<[^>]+>/g, '');
    ticket.messages.push({ id, kind: isPrivate ? 'note' : 'agent', at: new Date().toISOString(), body });
    this.posted.push({ ticketId, kind: isPrivate ? 'note' : 'reply', body });
    return { status: 201, json: { id, body: r.json.body, private: isPrivate, ticket_id: ticketId } };
  }

  private update(r: RecordedRequest, ticketId: number): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { code: 'access_denied', message: 'not found' } };
    if (r.json.tags) ticket.tags = r.json.tags;
    return { status: 200, json: this.ticketJson(ticket, false) };
  }

  private create(r: RecordedRequest): FakeAnswer {
    const requester = { id: this.nextId++, name: r.json.name ?? r.json.email, email: r.json.email };
    const now = new Date().toISOString();
    const ticket: StoryTicket = { id: this.nextId++, subject: r.json.subject, createdAt: now, updatedAt: now, tags: r.json.tags ?? [], requester, messages: [] };
    this.story.tickets.push(ticket);
    this.posted.push({ ticketId: ticket.id, kind: 'new_ticket', body: r.json.description, tags: ticket.tags });
    return { status: 201, json: this.ticketJson(ticket, false) };
  }
}
