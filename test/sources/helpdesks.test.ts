import { sql } from 'kysely';
import { startWorkers } from '../../workers';
import { findEvent } from '../../src/db/events';
import { disputePage } from '../../src/http/dashboard/dispute-page';
import { currentPacket } from '../../src/evidence/gather';
import { actionsOfDispute } from '../../src/sources/repository';
import { mateoStory } from '../fakes/helpdesk-story';
import { FakeStripe } from '../fakes/stripe';
import { latestPacket } from '../../src/evidence/packets';
import { fakeHelpdesk, HELPDESKS } from '../fakes/helpdesks';
import { deliver, settled } from '../support/deliver';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { pdfText } from '../support/pdf-text';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';
import { drained, fixtureOrder, putJson } from './support';

const ACK = 'Hello {name}, we are sorry to hear about order {order} ({amount}). We are on it and will write again within 2 days.';
const CARD = /4242[ -]?4242[ -]?4242[ -]?4242/;

describe('helpdesks both ways: conversations in as evidence, one note and one acknowledgment out (real worker, PostgreSQL, Redis; fake Zendesk, Gorgias, Freshdesk)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const fakes = HELPDESKS.map((name, i) => fakeHelpdesk(name, mateoStory(1000 * (i + 1))));
  const stripe = new FakeStripe();
  const queues = () => [receiver.runtime.queues.events, receiver.runtime.queues.evidence, receiver.runtime.queues.sources];
  const disputeNamed = async (providerDisputeId: string) => {
    const { json } = await get(`${receiver.url}/api/disputes`, adminHeaders());
    const found = json.disputes.find((d: any) => d.providerDisputeId === providerDisputeId);
    return found && (await get(`${receiver.url}/api/disputes/${found.id}`, adminHeaders())).json;
  };
  const postedOf = (kind: 'note' | 'reply') => Object.fromEntries(fakes.map((f) => [f.name, f.server.posted.filter((p) => p.kind === kind || (kind === 'note' && p.kind === 'new_ticket')).length]));

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const fake of fakes) await fake.server.start();
    await stripe.start();
    const open = JSON.parse(fixtureText('stripe/charge.dispute.created.jpy.json')).data.object;
    stripe.disputes.set(open.id, open);
    receiver = await startTestReceiver(
      testConfig(database.url, {
        STRIPE_WEBHOOK_SECRETS: 'whsec_helpdesks_0123456789',
        STRIPE_SECRET_KEY: 'sk_test_fake_0123456789',
        STRIPE_API_BASE: stripe.url,
        ...Object.assign({}, ...fakes.map((f) => f.env())),
        HELPDESK_ACK_TEMPLATE: ACK,
        ALERT_TIMEZONE: 'Europe/Madrid',
        PUBLIC_URL: 'https://rebuttal.northwind.example.com',
      }),
      { jobOptions: { sources: { attempts: 3, backoff: { type: 'fixed', delay: 100 } } } },
    );
    workers = startWorkers(receiver.runtime);
    expect((await putJson(`${receiver.url}/api/orders/order-10511`, fixtureOrder())).status).toBe(200);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    for (const fake of fakes) await fake.server.close();
    await stripe.close();
    await database.drop();
  });

  it('a dispute opens: each helpdesk\'s public messages reach the conversation in time order, direction right, internal notes excluded', async () => {
    const { eventId } = await deliver(receiver.url, receiver.runtime.config, 'stripe', fixtureText('stripe/charge.dispute.created.json'));
    await settled(receiver.runtime.db, eventId);
    const dispute = await waitFor(async () => {
      const d = await disputeNamed('du_1QkZr9LzW8xYp1Aa5bHc2mPq');
      const pulled = HELPDESKS.every((name) => d?.sources.some((s: any) => s.name === name && s.status === 'ok'));
      return d?.conversation.length === 12 && d.packet && pulled ? d : undefined;
    }, 30_000, 'the pulled conversation and each helpdesk\'s pull recorded');
    await drained(queues());

    for (const fake of fakes) {
      const mine = dispute.conversation.filter((m: any) => m.source === fake.name);
      expect(mine.map((m: any) => [m.direction, m.channel, m.at])).toEqual([
        ['inbound', 'helpdesk', '2026-10-27T18:03:00.000Z'],
        ['outbound', 'helpdesk', '2026-10-27T18:20:00.000Z'],
        ['inbound', 'helpdesk', '2026-10-29T19:15:00.000Z'],
        ['outbound', 'helpdesk', '2026-10-30T09:00:00.000Z'],
      ]);
      expect(mine[1]).toMatchObject({ author: expect.any(String), sourceUrl: expect.stringMatching(/^https:\/\/northwind\.(zendesk|gorgias|freshdesk)\.com\//) });
    }
    const times = dispute.conversation.map((m: any) => m.at);
    expect(times).toEqual([...times].sort());
    expect(JSON.stringify(dispute.conversation)).not.toContain('INTERNAL');
    expect(dispute.sources).toEqual(expect.arrayContaining(HELPDESKS.map((name) => ({ name, at: expect.any(String), status: 'ok', records: 4, error: null }))));

    const { json: packet } = await get(`${receiver.url}/api/disputes/${dispute.id}/packet`, adminHeaders());
    const communication = packet.items.find((i: any) => i.kind === 'customer_communication');
    for (const fake of fakes) expect(communication.source).toContain(`${fake.name} tickets ${fake.server.story.tickets[0]!.id}, ${fake.server.story.tickets[1]!.id}`);
    expect(JSON.stringify(packet.providerPayload)).toMatch(/helpdesk \(zendesk ticket \d+\)/);
    expect(JSON.stringify(packet)).not.toContain('INTERNAL');

    // The dispute page: a source badge and a ticket link on each pulled message.
    const stored = await currentPacket({ db: receiver.runtime.db, providers: receiver.runtime.providers.ports }, dispute.id);
    const page = disputePage({ dispute, timeline: [], packet: stored, submissions: [], alerts: [], helpdesk: await actionsOfDispute(receiver.runtime.db, dispute.id) }, new Date()).value;
    for (const name of HELPDESKS) expect(page).toContain(`<span class="badge" data-source="${name}">${name}</span>`);
    expect(page).toMatch(/<a href="https:\/\/northwind\.zendesk\.com\/agent\/tickets\/\d+"[^>]*>ticket \d+<\/a>/);
  });

  it('posts exactly one internal note per helpdesk, on the most recent ticket, tagged chargeback, with what staff need', async () => {
    expect(postedOf('note')).toEqual({ zendesk: 1, gorgias: 1, freshdesk: 1 });
    const dispute = await disputeNamed('du_1QkZr9LzW8xYp1Aa5bHc2mPq');
    for (const fake of fakes) {
      const [note] = fake.server.posted.filter((p) => p.kind === 'note');
      const latest = fake.server.story.tickets[1]!;
      expect(note!.ticketId).toBe(latest.id);
      expect(latest.tags).toContain('chargeback');
      expect(note!.body).toContain('$45.99');
      expect(note!.body).toContain('product not received');
      expect(note!.body).toContain('Stripe, dispute du_1QkZr9LzW8xYp1Aa5bHc2mPq');
      expect(note!.body).toMatch(/Evidence due: .*CET/);
      expect(note!.body).toContain(`https://rebuttal.northwind.example.com/disputes/${dispute.id}`);
    }
  });

  it('acknowledges the customer once per helpdesk from the template, publicly, on the latest ticket', async () => {
    expect(postedOf('reply')).toEqual({ zendesk: 1, gorgias: 1, freshdesk: 1 });
    for (const fake of fakes) {
      expect(fake.server.posted.find((p) => p.kind === 'reply')!.body).toContain('Hello Mateo Alvarez, we are sorry to hear about order order-10511 ($45.99).');
    }
  });

  it('a second delivery of the same webhook and a redrive post nothing more', async () => {
    const again = await deliver(receiver.url, receiver.runtime.config, 'stripe', fixtureText('stripe/charge.dispute.created.json'));
    expect(again.duplicate).toBe(true);
    expect((await post(`${receiver.url}/api/events/${again.eventId}/redrive`, '', adminHeaders())).status).toBe(202);
    await waitFor(async () => (await findEvent(receiver.runtime.db, again.eventId))?.status === 'processed', 15_000, 'the redrive');
    await drained(queues());
    // The redrive re-announced the opening: the pull ran again. What it found new is only our own
    // acknowledgment, a public reply in each helpdesk (our internal notes stay out).
    const dispute = await disputeNamed('du_1QkZr9LzW8xYp1Aa5bHc2mPq');
    expect(dispute.conversation).toHaveLength(15);
    expect(dispute.conversation.slice(-3).map((m: any) => [m.direction, m.body.slice(0, 18)])).toEqual(Array(3).fill(['outbound', 'Hello Mateo Alvare']));
    expect(JSON.stringify(dispute.conversation)).not.toContain('Chargeback opened');
    expect(postedOf('note')).toEqual({ zendesk: 1, gorgias: 1, freshdesk: 1 });
    expect(postedOf('reply')).toEqual({ zendesk: 1, gorgias: 1, freshdesk: 1 });
  });

  it('a card number typed in a ticket never reaches the database, the packet or the PDF', async () => {
    const dispute = await disputeNamed('du_1QkZr9LzW8xYp1Aa5bHc2mPq');
    const { rows } = await sql<{ text: string }>`select data::text as text from messages union all select packet::text from packets union all select coalesce(error, '') from source_pulls`.execute(receiver.runtime.db);
    expect(rows.some((r) => CARD.test(r.text))).toBe(false);
    expect(rows.filter((r) => r.text.includes('•••• 4242')).length).toBeGreaterThanOrEqual(3);
    const pdf = await fetch(`${receiver.url}/api/disputes/${dispute.id}/packet.pdf`, { headers: adminHeaders() });
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('4242');
    expect(text).not.toMatch(CARD);
    expect(JSON.stringify(dispute)).not.toMatch(CARD);
  });

  it('a fraud dispute gets its note but never an acknowledgment', async () => {
    expect((await putJson(`${receiver.url}/api/orders/order-20001`, fixtureOrder({ paymentIds: ['ch_3QmT6pLzW8xYp1Aa1f5gS8uV'] }))).status).toBe(200);
    const { eventId } = await deliver(receiver.url, receiver.runtime.config, 'stripe', fixtureText('stripe/charge.dispute.created.fraudulent.json'));
    await settled(receiver.runtime.db, eventId);
    await waitFor(async () => Object.values(postedOf('note')).every((n) => n === 2), 30_000, 'the fraud dispute notes');
    await drained(queues());
    expect(postedOf('note')).toEqual({ zendesk: 2, gorgias: 2, freshdesk: 2 });
    expect(postedOf('reply')).toEqual({ zendesk: 1, gorgias: 1, freshdesk: 1 });
  });

  it('a dispute whose order becomes known later is pulled then, and gets its note and acknowledgment then', async () => {
    // Still open when the last test submits it, whatever day the suite runs.
    const event = fixtureJson<any>('stripe/charge.dispute.created.jpy.json');
    event.data.object.evidence_details.due_by = Math.floor(Date.now() / 1000) + 10 * 86_400;
    const { eventId } = await deliver(receiver.url, receiver.runtime.config, 'stripe', JSON.stringify(event));
    await settled(receiver.runtime.db, eventId);
    await drained(queues());
    const before = await disputeNamed('du_1QoF8uLzW8xYp1Aa7gMy6uPg');
    expect(before).toMatchObject({ orderId: null, conversation: [], sources: [] });
    expect(postedOf('note')).toEqual({ zendesk: 2, gorgias: 2, freshdesk: 2 });

    expect((await putJson(`${receiver.url}/api/orders/order-40001`, fixtureOrder({ paymentIds: ['ch_3QoF8bLzW8xYp1Aa3h7iU0xY'] }))).status).toBe(200);
    const after = await waitFor(async () => {
      const d = await disputeNamed('du_1QoF8uLzW8xYp1Aa7gMy6uPg');
      return d.conversation.length > 0 && d.sources.length === 3 ? d : undefined;
    }, 30_000, 'the pull once the order is known');
    await drained(queues());
    expect(after.sources.map((s: any) => s.status)).toEqual(['ok', 'ok', 'ok']);
    const { rows } = await sql<{ trigger: string }>`select distinct trigger from source_pulls where dispute_id = ${after.id}`.execute(receiver.runtime.db);
    expect(rows).toEqual([{ trigger: 'order_known' }]);
    expect(postedOf('note')).toEqual({ zendesk: 3, gorgias: 3, freshdesk: 3 });
    expect(postedOf('reply')).toEqual({ zendesk: 2, gorgias: 2, freshdesk: 2 });
  });

  it('pulls every helpdesk again right before a submission, so the packet sent holds the latest message', async () => {
    const dispute = await disputeNamed('du_1QoF8uLzW8xYp1Aa7gMy6uPg');
    const late = 'One more thing: the lamp shade has a small tear, but I am keeping it.';
    fakes[0]!.server.story.tickets[1]!.messages.push({ id: 1999, kind: 'customer', at: '2026-11-20T10:00:00Z', body: late });
    const submit = await post(`${receiver.url}/api/disputes/${dispute.id}/submit`, '', adminHeaders());
    expect(submit.status).toBe(202);
    await waitFor(async () => (await get(`${receiver.url}/api/disputes/${dispute.id}`, adminHeaders())).json.submissions[0]?.status === 'sent', 30_000, 'the submission');
    const { rows } = await sql<{ source: string }>`select source from source_pulls where dispute_id = ${dispute.id} and trigger = 'submission' order by source`.execute(receiver.runtime.db);
    expect(rows.map((r) => r.source)).toEqual(['freshdesk', 'gorgias', 'zendesk']);
    const sent = await latestPacket(receiver.runtime.db, dispute.id);
    expect(sent!.snapshot.records!.messages.map((m) => m.body)).toContain(late);
    expect(stripe.submissions).toBe(1);
  });
});
