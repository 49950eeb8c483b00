import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { SOURCES } from '../../src/sources';
import { SourceAuthFailed, SourcePayloadInvalid, SourceUnavailable } from '../../src/sources/errors';
import type { HelpdeskClient } from '../../src/sources/types';
import { chatter, mateoStory } from '../fakes/helpdesk-story';
import { fakeHelpdesk, HELPDESKS, type HelpdeskFake } from '../fakes/helpdesks';

const EMAIL = 'mateo.alvarez@example.es';
const log = createLogger('silent');

function clientFor(fake: HelpdeskFake, options: { wrongSecret?: boolean } = {}): HelpdeskClient {
  const config = loadConfig(fake.env(options));
  const module = SOURCES.find((s) => s.name === fake.name)!;
  return module.createClient(config.sources.enabled[fake.name], { log }) as HelpdeskClient;
}

describe.each(HELPDESKS)('%s client against a fake speaking its documented wire format', (name) => {
  let fake: HelpdeskFake;
  beforeEach(async () => {
    fake = fakeHelpdesk(name, mateoStory(1000));
    await fake.server.start();
  });
  afterEach(() => fake.server.close());

  it('reads the public messages of both tickets in time order, direction from who wrote, internal notes left out', async () => {
    const messages = await clientFor(fake).conversation({ emails: [EMAIL], limit: 500 });
    expect(messages.map((m) => [m.direction, m.body.slice(0, 20)])).toEqual([
      ['inbound', 'Hi, the tracking say'],
      ['outbound', 'No duties to pay, we'],
      ['inbound', 'Got the lamp today, '],
      ['outbound', 'Glad it arrived safe'],
    ]);
    expect(messages.map((m) => m.at)).toEqual(['2026-10-27T18:03:00.000Z', '2026-10-27T18:20:00.000Z', '2026-10-29T19:15:00.000Z', '2026-10-30T09:00:00.000Z']);
    expect(new Set(messages.map((m) => m.ticketId)).size).toBe(2);
    expect(messages.every((m) => m.sourceUrl.startsWith('https://northwind.') && m.sourceUrl.endsWith(m.ticketId))).toBe(true);
    expect(JSON.stringify(messages)).not.toContain('INTERNAL');
    expect(new Set(messages.map((m) => m.sourceId)).size).toBe(4);
  });

  it('follows pagination over 3 pages and pulls every message', async () => {
    const busy = fake.server.story.tickets[1]!;
    chatter(busy, 5, '2026-10-31T10:00:00Z', 5000);
    fake.server.maxPageSize = 3;
    const messages = await clientFor(fake).conversation({ emails: [EMAIL], limit: 500 });
    expect(messages).toHaveLength(9);
    expect(messages.at(-1)!.body).toBe('Follow-up 5');
    const pages = fake.server.calls('GET', fake.messagesRoute.replace(':id', String(busy.id)));
    expect(pages).toHaveLength(3);
  });

  it('waits out a 429 as Retry-After says, then pulls every message', async () => {
    const first = fake.server.story.tickets[0]!;
    fake.server.script('GET', fake.messagesRoute.replace(':id', String(first.id)), { status: 429, json: { error: 'TooManyRequests' }, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const messages = await clientFor(fake).conversation({ emails: [EMAIL], limit: 500 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(messages).toHaveLength(4);
    expect(fake.server.calls('GET', fake.messagesRoute.replace(':id', String(first.id)))).toHaveLength(2);
  });

  it('reports refused credentials with the vendor\'s own words, as a permanent failure', async () => {
    const failure = await clientFor(fake, { wrongSecret: true }).conversation({ emails: [EMAIL], limit: 500 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SourceAuthFailed);
    expect((failure as Error).message).toMatch(new RegExp(`^${name} refused the credentials \\(401\\): .*(authenticate|logged in|invalid)`, 'i'));
  });

  it('fails on a malformed page with a readable error, and a 5xx as retryable', async () => {
    const route = fake.server.story.tickets[1]!;
    const path = fake.messagesRoute.replace(':id', String(route.id));
    const malformed = name === 'freshdesk' ? [{ id: 'x', private: 'no' }] : name === 'zendesk' ? { comments: [{ id: 1 }] } : { data: [{ id: 1, public: 'yes' }] };
    fake.server.script('GET', path, { status: 200, json: malformed });
    const invalid = await clientFor(fake).conversation({ emails: [EMAIL], limit: 500 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(SourcePayloadInvalid);
    expect((invalid as Error).message).toMatch(new RegExp(`^${name} answered the (comments|messages|conversations) of ticket ${route.id} with an unexpected payload: `));

    fake.server.script('GET', path, { status: 503, json: {} });
    expect(await clientFor(fake).conversation({ emails: [EMAIL], limit: 500 }).catch((e: unknown) => e)).toBeInstanceOf(SourceUnavailable);
  });

  it('posts the note on the most recent ticket, internal and tagged chargeback; a new ticket when the customer has none', async () => {
    const posted = await clientFor(fake).postNote({ email: EMAIL, name: 'Mateo Alvarez', subject: 'Chargeback', body: 'Chargeback opened: $45.99' });
    const latest = fake.server.story.tickets[1]!;
    expect(posted).toEqual({ ticketId: String(latest.id), url: expect.stringContaining(String(latest.id)) });
    expect(fake.server.posted).toEqual([expect.objectContaining({ ticketId: latest.id, kind: 'note', body: expect.stringContaining('Chargeback opened: $45.99') })]);
    expect(latest.tags).toContain('chargeback');

    const created = await clientFor(fake).postNote({ email: 'new.customer@example.com', name: 'New Customer', subject: 'Chargeback', body: 'Chargeback opened: $10.00' });
    const ticket = fake.server.story.tickets.find((t) => String(t.id) === created.ticketId)!;
    expect(ticket.requester.email).toBe('new.customer@example.com');
    expect(ticket.tags).toContain('chargeback');
    expect(ticket.messages.filter((m) => m.kind !== 'note')).toEqual([]);
  });

  it('replies publicly on the most recent ticket, and sends nothing when the customer has no ticket', async () => {
    const posted = await clientFor(fake).reply({ email: EMAIL, subject: 'About your order', body: 'We are looking into it.' });
    expect(posted?.ticketId).toBe(String(fake.server.story.tickets[1]!.id));
    expect(fake.server.posted).toEqual([expect.objectContaining({ kind: 'reply', body: expect.stringContaining('We are looking into it.') })]);
    expect(await clientFor(fake).reply({ email: 'nobody@example.com', subject: 's', body: 'b' })).toBeNull();
  });
});
