import type { Posted, Story, StoryTicket } from './helpdesk-story';
import { linkTo, numberParam, pageOf } from './helpdesk-paging';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

const json = '(?:\\.json)?';
const idOf = (raw: string | undefined) => Number((raw ?? '').replace(/\.json$/, ''));

/**
 * Zendesk Support API v2 as documented (developer.zendesk.com/api-reference): API-token Basic
 * auth, cursor pagination (page[size] capped, links.next while meta.has_more), comments with
 * `public` false for internal notes and a users sideload, ticket updates that add a comment and
 * tags, 401 {"error":"Couldn't authenticate you"}.
 */
export class FakeZendesk extends RecordingServer {
  story: Story;
  /** Zendesk caps page[size] at 100; tests lower it to force several pages. */
  maxPageSize = 100;
  readonly posted: Posted[] = [];
  private nextId = 90_000;

  constructor(story: Story, private readonly auth: { email: string; token: string }) {
    const guard = (handler: (r: RecordedRequest, p: Record<string, string>) => FakeAnswer) => (r: RecordedRequest, p: Record<string, string>) =>
      this.authorized(r) ? handler(r, p) : { status: 401, json: { error: "Couldn't authenticate you" } };
    super([
      ['GET', `/api/v2/users/search${json}`, guard((r) => this.users(r))],
      ['GET', `/api/v2/users/:id/tickets/requested${json}`, guard((r, p) => this.requested(r, idOf(p.id)))],
      ['GET', `/api/v2/tickets/:id/comments${json}`, guard((r, p) => this.comments(r, idOf(p.id)))],
      ['PUT', '/api/v2/tickets/:id', guard((r, p) => this.update(r, idOf(p.id)))],
      ['POST', `/api/v2/tickets${json}`, guard((r) => this.create(r))],
    ]);
    this.story = story;
  }

  private authorized(r: RecordedRequest): boolean {
    return r.headers.authorization === `Basic ${Buffer.from(`${this.auth.email}/token:${this.auth.token}`).toString('base64')}`;
  }

  private cursor<T>(r: RecordedRequest, items: T[]) {
    const size = Math.min(numberParam(r, 'page[size]', 100), this.maxPageSize);
    const start = Number(r.query.get('page[after]') ?? 0);
    const { page, more, next } = pageOf(items, start, size);
    return { page, meta: { has_more: more, after_cursor: more ? String(next) : null, before_cursor: String(start) }, links: { next: more ? linkTo(this.url, r, { 'page[after]': next, 'page[size]': size }) : null, prev: null } };
  }

  private users(r: RecordedRequest): FakeAnswer {
    const query = (r.query.get('query') ?? '').replace(/^email:/, '').toLowerCase();
    const people = [this.story.customer, { ...this.story.customer, id: 7, email: `old.${this.story.customer.email}` }];
    // Zendesk's search is fuzzy: a partial match comes back too.
    const users = people.filter((u) => u.email.toLowerCase().includes(query)).map((u) => ({ id: u.id, name: u.name, email: u.email, role: 'end-user' }));
    return { status: 200, json: { users, next_page: null, previous_page: null, count: users.length } };
  }

  private requested(r: RecordedRequest, userId: number): FakeAnswer {
    const tickets = this.story.tickets.filter((t) => t.requester.id === userId).map((t) => this.ticketJson(t));
    const { page, meta, links } = this.cursor(r, tickets);
    return { status: 200, json: { tickets: page, meta, links } };
  }

  private ticketJson(t: StoryTicket) {
    return { id: t.id, url: `${this.url}/api/v2/tickets/${t.id}.json`, subject: t.subject, status: 'open', requester_id: t.requester.id, created_at: t.createdAt, updated_at: t.updatedAt, tags: t.tags };
  }

  private comments(r: RecordedRequest, ticketId: number): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };
    const comments = ticket.messages.map((m) => ({
      id: m.id,
      type: 'Comment',
      author_id: m.kind === 'customer' ? ticket.requester.id : this.story.agent.id,
      body: m.body,
      html_body: `<div class="zd-comment"><p>${m.body}</p></div>`,
      plain_body: m.body,
      public: m.kind !== 'note',
      attachments: [],
      audit_id: m.id + 1,
      via: { channel: 'email' },
      created_at: m.at,
    }));
    const { page, meta, links } = this.cursor(r, comments);
    const users = r.query.get('include') === 'users'
      ? [{ id: ticket.requester.id, name: ticket.requester.name, email: ticket.requester.email, role: 'end-user' }, { id: this.story.agent.id, name: this.story.agent.name, email: this.story.agent.email, role: 'agent' }]
      : undefined;
    return { status: 200, json: { comments: page, ...(users ? { users } : {}), meta, links } };
  }

  private update(r: RecordedRequest, ticketId: number): FakeAnswer {
    const ticket = this.story.tickets.find((t) => t.id === ticketId);
    if (!ticket) return { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };
    const comment = r.json?.ticket?.comment;
    if (comment) {
      // A comment is public unless public:false is said explicitly.
      const isPublic = comment.public !== false;
      ticket.messages.push({ id: this.nextId++, kind: isPublic ? 'agent' : 'note', at: new Date().toISOString(), body: comment.body });
      this.posted.push({ ticketId, kind: isPublic ? 'reply' : 'note', body: comment.body, tags: r.json.ticket.additional_tags });
    }
    ticket.tags = [...new Set([...ticket.tags, ...(r.json?.ticket?.additional_tags ?? [])])];
    return { status: 200, json: { ticket: this.ticketJson(ticket), audit: { id: this.nextId++ } } };
  }

  private create(r: RecordedRequest): FakeAnswer {
    const body = r.json?.ticket;
    const requester = { id: this.nextId++, name: body.requester.name, email: body.requester.email };
    const ticket: StoryTicket = { id: this.nextId++, subject: body.subject, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), tags: body.tags ?? [], requester, messages: [] };
    ticket.messages.push({ id: this.nextId++, kind: body.comment.public === false ? 'note' : 'agent', at: ticket.createdAt, body: body.comment.body });
    this.story.tickets.push(ticket);
    this.posted.push({ ticketId: ticket.id, kind: 'new_ticket', body: body.comment.body, tags: ticket.tags });
    return { status: 201, json: { ticket: this.ticketJson(ticket) } };
  }
}
