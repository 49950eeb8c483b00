import { sql } from 'kysely';
import { startWorkers } from '../../workers';
import { createLogger } from '../../src/log';
import { SOURCES } from '../../src/sources';
import { pushToHelpdesk } from '../../src/sources/helpdesk/push';
import type { HelpdeskClient } from '../../src/sources/types';
import { mateoStory } from '../fakes/helpdesk-story';
import { fakeHelpdesk } from '../fakes/helpdesks';
import { RecordingServer } from '../fakes/recording-server';
import { deliver, settled } from '../support/deliver';
import { insertDispute } from '../support/disputes';
import { fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';
import { drained, fixtureOrder, putJson } from './support';

describe('helpdesk faults: refused credentials, malformed payloads, outages (real worker, PostgreSQL, Redis)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> };
  const zendesk = fakeHelpdesk('zendesk', mateoStory(1000));
  const freshdesk = fakeHelpdesk('freshdesk', mateoStory(3000));
  const alerts = new RecordingServer([['POST', '/alerts', () => ({ status: 200, json: {} })]]);
  const queues = () => [receiver.runtime.queues.events, receiver.runtime.queues.evidence, receiver.runtime.queues.sources];
  const sourceAlerts = () => alerts.requests.filter((r) => r.json?.type === 'dispute.alert.source_auth_failed');
  const pullsOf = (disputeId: string, source = 'freshdesk') =>
    receiver.runtime.db.selectFrom('source_pulls').select(['status', 'records', 'changed', 'error', 'trigger']).where('dispute_id', '=', disputeId).where('source', '=', source).orderBy('at').execute();

  // A second customer, in the same Freshdesk, for the pulls driven by hand below.
  const lucia = mateoStory(6000);
  lucia.customer.email = 'lucia.romero@example.it';
  lucia.customer.name = 'Lucia Romero';

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const server of [zendesk.server, freshdesk.server, alerts]) await server.start();
    freshdesk.server.story.tickets.push(...lucia.tickets);
    receiver = await startTestReceiver(
      testConfig(database.url, {
        STRIPE_WEBHOOK_SECRETS: 'whsec_faults_0123456789',
        ...zendesk.env({ wrongSecret: true }),
        ...freshdesk.env(),
        ALERT_WEBHOOK_URL: `${alerts.url}/alerts`,
        ALERT_WEBHOOK_SECRET: 'alert-secret',
      }),
      { jobOptions: { sources: { attempts: 3, backoff: { type: 'fixed', delay: 200 } } } },
    );
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers.close();
    await receiver.stop();
    for (const server of [zendesk.server, freshdesk.server, alerts]) await server.close();
    await database.drop();
  });

  it('a helpdesk answering 401 shows on GET /api/sources, alerts staff once a day, and the dispute still gets its packet', async () => {
    const records = await post(`${receiver.url}/api/import`, fixtureText('merchant/records.ndjson'), { ...adminHeaders(), 'content-type': 'application/x-ndjson' });
    expect(records.json.rejected).toEqual([]);
    const { eventId } = await deliver(receiver.url, receiver.runtime.config, 'stripe', fixtureText('stripe/charge.dispute.created.json'));
    await settled(receiver.runtime.db, eventId);
    await drained(queues());

    const { json } = await get(`${receiver.url}/api/sources`, adminHeaders());
    expect(json.sources.find((s: any) => s.name === 'zendesk')).toEqual({
      name: 'zendesk',
      kind: 'helpdesk',
      enabled: true,
      lastSyncAt: expect.any(String),
      lastError: "zendesk refused the credentials (401): Couldn't authenticate you",
      records: 0,
    });
    expect(json.sources.find((s: any) => s.name === 'freshdesk')).toMatchObject({ enabled: true, lastError: null, records: 4 });

    const { json: list } = await get(`${receiver.url}/api/disputes`, adminHeaders());
    const { json: dispute } = await get(`${receiver.url}/api/disputes/${list.disputes[0].id}`, adminHeaders());
    expect(dispute.packet).toMatchObject({ completeness: 1 });
    expect(dispute.sources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'zendesk', status: 'error', error: expect.stringContaining('401') }), expect.objectContaining({ name: 'freshdesk', status: 'ok', records: 4 })]));
    // The pushed chat messages and the Freshdesk ones, together.
    expect(dispute.conversation.map((m: any) => m.source)).toEqual(expect.arrayContaining(['api', 'freshdesk']));
    // Refused credentials are not retried: the pull job of the opening ran once (3 attempts were allowed).
    expect((await pullsOf(dispute.id, 'zendesk')).filter((p) => p.trigger === 'opened')).toEqual([expect.objectContaining({ status: 'error' })]);

    expect((await post(`${receiver.url}/api/sources/zendesk/sync`, '', adminHeaders())).status).toBe(202);
    await drained(queues());
    await waitFor(async () => sourceAlerts().length > 0, 10_000, 'the source alert');
    expect(sourceAlerts()).toHaveLength(1);
    expect(sourceAlerts()[0]!.json).toMatchObject({ subject: 'Rebuttal cannot reach zendesk: credentials refused', link: expect.stringMatching(/\/sources$/) });
  });

  it('a malformed page fails that pull with a readable error and writes nothing; a 5xx is retried with backoff until it works', async () => {
    expect((await putJson(`${receiver.url}/api/orders/order-30001`, { ...fixtureOrder({ paymentIds: ['ch_lucia_30001'] }), customer: { name: 'Lucia Romero', email: 'lucia.romero@example.it' } })).status).toBe(200);
    const disputeId = await insertDispute(receiver.runtime.db, { provider_payment_id: 'ch_lucia_30001' });
    const secondTicket = lucia.tickets[1]!.id;
    freshdesk.server.script('GET', `/api/v2/tickets/${secondTicket}/conversations`, { status: 200, json: [{ id: 1, private: 'no' }] });
    await receiver.runtime.queues.sources.add('source.pull', { source: 'freshdesk', disputeId, trigger: 'test' });
    await drained(queues());
    const failed = await pullsOf(disputeId);
    expect(failed).toEqual([expect.objectContaining({ status: 'error', records: 0, error: `freshdesk answered the conversations of ticket ${secondTicket} with an unexpected payload: 0.private: Invalid input: expected boolean, received string` })]);
    // The first ticket was read fine, and still nothing of it was written.
    const stored = () => receiver.runtime.db.selectFrom('messages').select(['message_id', 'data']).where('order_id', '=', 'order-30001').orderBy('at').execute();
    expect(await stored()).toEqual([]);

    freshdesk.server.script('GET', `/api/v2/tickets/${secondTicket}/conversations`, { status: 503, json: {} }, { status: 503, json: {} });
    await receiver.runtime.queues.sources.add('source.pull', { source: 'freshdesk', disputeId, trigger: 'test' });
    await drained(queues());
    expect((await pullsOf(disputeId)).map((p) => [p.status, p.records])).toEqual([['error', 0], ['error', 0], ['error', 0], ['ok', 4]]);
    expect(await stored()).toHaveLength(4);
  });

  it('pulling twice changes nothing; an edited message is updated in place', async () => {
    const [disputeId] = (await receiver.runtime.db.selectFrom('disputes').select('id').where('provider_payment_id', '=', 'ch_lucia_30001').execute()).map((r) => r.id);
    const before = await receiver.runtime.db.selectFrom('messages').select(['message_id', 'updated_at']).where('order_id', '=', 'order-30001').orderBy('message_id').execute();
    await receiver.runtime.queues.sources.add('source.pull', { source: 'freshdesk', disputeId, trigger: 'test' });
    await drained(queues());
    expect(await receiver.runtime.db.selectFrom('messages').select(['message_id', 'updated_at']).where('order_id', '=', 'order-30001').orderBy('message_id').execute()).toEqual(before);
    expect((await pullsOf(disputeId!)).at(-1)).toMatchObject({ status: 'ok', records: 4, changed: 0 });

    const reply = lucia.tickets[1]!.messages.find((m) => m.kind === 'agent')!;
    reply.body = 'Glad it arrived safely, enjoy it! (Edited: your warranty runs 2 years.)';
    await receiver.runtime.queues.sources.add('source.pull', { source: 'freshdesk', disputeId, trigger: 'test' });
    await drained(queues());
    const { rows } = await sql<{ body: string }>`select data->>'body' as body from messages where order_id = 'order-30001' and message_id = ${`freshdesk:${reply.id}`}`.execute(receiver.runtime.db);
    expect(rows).toEqual([{ body: 'Glad it arrived safely, enjoy it! (Edited: your warranty runs 2 years.)' }]);
    expect(await receiver.runtime.db.selectFrom('messages').select('message_id').where('order_id', '=', 'order-30001').execute()).toHaveLength(4);
  });

  it('workers racing to post the same note make one call; HELPDESK_NOTE=false posts none', async () => {
    const disputeId = await insertDispute(receiver.runtime.db, { provider_payment_id: 'ch_lucia_30001' });
    const module = SOURCES.find((s) => s.name === 'freshdesk')!;
    const client = module.createClient(receiver.runtime.config.sources.enabled.freshdesk, { log: createLogger('silent') }) as HelpdeskClient;
    const deps = { db: receiver.runtime.db, log: createLogger('silent'), settings: { helpdeskNote: true, ackTemplate: undefined }, links: { publicUrl: 'https://r.example.com', timezone: 'UTC' } };
    const notesBefore = freshdesk.server.posted.filter((p) => p.kind === 'note').length;
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => pushToHelpdesk(deps, 'freshdesk', client, disputeId, 'note')));
    expect(outcomes.filter((o) => o.startsWith('note posted'))).toHaveLength(1);
    expect(freshdesk.server.posted.filter((p) => p.kind === 'note').length).toBe(notesBefore + 1);

    const off = await pushToHelpdesk({ ...deps, settings: { helpdeskNote: false, ackTemplate: undefined } }, 'freshdesk', client, await insertDispute(receiver.runtime.db, { provider_payment_id: 'ch_lucia_30001' }), 'note');
    expect(off).toBe('HELPDESK_NOTE is off');
    expect(freshdesk.server.posted.filter((p) => p.kind === 'note').length).toBe(notesBefore + 1);
  });

  it('re-pulls every SOURCE_SYNC_INTERVAL while a dispute takes a response', async () => {
    const schedulers = await receiver.runtime.queues.sources.getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: 'sources-interval', every: 6 * 3_600_000, name: 'sources.interval' })]);
    await receiver.runtime.queues.sources.add('sources.interval', {});
    await drained(queues());
    const { rows } = await sql<{ n: string }>`select count(distinct dispute_id) as n from source_pulls where trigger = 'interval' and source = 'freshdesk'`.execute(receiver.runtime.db);
    const answerable = await receiver.runtime.db.selectFrom('disputes').select('id').where('status', '=', 'needs_response').execute();
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    expect(Number(rows[0]!.n)).toBeLessThanOrEqual(answerable.length);
  });
});
