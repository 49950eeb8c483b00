import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { findEvent, insertEvent } from '../../src/db/events';
import { processEvent, processEvents, type ProcessEventDeps } from '../../src/disputes/process-event';
import { stateOf, timelineOf } from '../../src/disputes/repository';
import { PermanentFailure } from '../../src/errors';
import { fixtureText } from '../support/fixtures';
import { createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

const FIXTURE_DISPUTE = 'du_1QkZr9LzW8xYp1Aa5bHc2mPq';

/** A Stripe fixture event about another dispute, under its own event id. */
function stripeEvent(file: string, disputeId: string): { providerEventId: string; body: string } {
  const body = fixtureText(`stripe/charge.dispute.${file}.json`).replaceAll(FIXTURE_DISPUTE, disputeId);
  const providerEventId = `evt_${file}_${disputeId}`;
  return { providerEventId, body: body.replace(/"id": "evt_[A-Za-z0-9]+"/, `"id": "${providerEventId}"`) };
}

describe('the event stage processes the events of the jobs running at once together', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let deps: ProcessEventDeps;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: 'whsec_batches_0123456789' }));
    const { db, log, queues, providers } = receiver.runtime;
    deps = { db, log, queues, providers: providers.ports };
  });
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });

  /** Stored as the receiver stores a verified delivery. */
  async function store(event: { providerEventId: string; body: string }): Promise<string> {
    const { id } = await insertEvent(deps.db, { provider: 'stripe', providerEventId: event.providerEventId, type: 'charge.dispute', rawBody: Buffer.from(event.body), headers: {} });
    return id;
  }
  const disputeRow = (providerDisputeId: string) =>
    deps.db.selectFrom('disputes').selectAll().where('provider_dispute_id', '=', providerDisputeId).executeTakeFirstOrThrow();
  const announced = async (disputeId: string) =>
    (await receiver.runtime.queues.evidence.getJobs(['waiting'])).filter((job) => job.data.disputeId === disputeId).map((job) => job.name);

  it('events about one dispute in one batch apply in order, as one by one, each with its timeline entry and its changes announced', async () => {
    const story = ['created', 'funds_withdrawn', 'updated'];
    const together = await Promise.all(story.map((file) => store(stripeEvent(file, 'du_together'))));
    const other = await store(stripeEvent('created', 'du_beside'));
    const alone = await Promise.all(story.map((file) => store(stripeEvent(file, 'du_alone'))));

    expect(await processEvents(deps, [...together, other])).toEqual(Array(4).fill({ status: 'processed' }));
    for (const id of alone) await processEvent(deps, id);

    const [batched, oneByOne] = [await disputeRow('du_together'), await disputeRow('du_alone')];
    const { providerDisputeId: _a, ...batchedState } = stateOf(batched);
    const { providerDisputeId: _b, ...oneByOneState } = stateOf(oneByOne);
    expect(batchedState).toEqual(oneByOneState);
    expect((await timelineOf(deps.db, batched.id)).map((t) => t.eventId)).toEqual(together);
    expect(await announced(batched.id)).toEqual(await announced(oneByOne.id));
    expect(await announced((await disputeRow('du_beside')).id)).toEqual(['dispute.opened']);
    for (const id of [...together, other]) expect(await findEvent(deps.db, id)).toMatchObject({ status: 'processed', attempts: 1, lastError: null });
  });

  it('an unreadable event and an id not in the store fail for good alone; their batch-mates are processed', async () => {
    const unreadable = await store({ providerEventId: 'evt_not_json', body: '{"id": "evt_not_json", ' });
    const fine = await store(stripeEvent('created', 'du_batch_mate'));
    const missing = randomUUID();

    const [bad, good, absent] = await processEvents(deps, [unreadable, fine, missing]);
    expect(bad).toBeInstanceOf(PermanentFailure);
    expect((bad as Error).message).toBe('the stored body is not JSON');
    expect(good).toEqual({ status: 'processed' });
    expect(absent).toBeInstanceOf(PermanentFailure);
    expect(await findEvent(deps.db, unreadable)).toMatchObject({ status: 'received', attempts: 0 });
    expect(await disputeRow('du_batch_mate')).toMatchObject({ status: 'needs_response' });
  });

  it('a batch PostgreSQL refuses is processed event by event: only the refused event fails, nothing of it half-stored', async () => {
    await sql`create function refuse_dispute() returns trigger language plpgsql as $$
      begin if new.provider_dispute_id = 'du_refused' then raise exception 'refused by a test trigger'; end if; return new; end $$`.execute(deps.db);
    await sql`create trigger refuse_dispute before insert on disputes for each row execute function refuse_dispute()`.execute(deps.db);
    try {
      const ids = await Promise.all(['du_kept_1', 'du_refused', 'du_kept_2'].map((d) => store(stripeEvent('created', d))));
      const [first, refused, last] = await processEvents(deps, ids);
      expect(first).toEqual({ status: 'processed' });
      expect(last).toEqual({ status: 'processed' });
      expect((refused as Error).message).toContain('refused by a test trigger');
      const stored = await deps.db.selectFrom('disputes').select('provider_dispute_id').where('provider_dispute_id', 'in', ['du_kept_1', 'du_refused', 'du_kept_2']).execute();
      expect(stored.map((r) => r.provider_dispute_id).sort()).toEqual(['du_kept_1', 'du_kept_2']);
      const timeline = await deps.db.selectFrom('dispute_timeline').select('event_id').where('event_id', 'in', ids).execute();
      expect(timeline.map((t) => t.event_id).sort()).toEqual([ids[0], ids[2]].sort());
    } finally {
      await sql`drop trigger refuse_dispute on disputes`.execute(deps.db);
    }
  });

  it('the same event twice in one batch (a redrive beside its first job) is recorded once and both are answered', async () => {
    const id = await store(stripeEvent('created', 'du_twice'));
    expect(await processEvents(deps, [id, id])).toEqual([{ status: 'processed' }, { status: 'processed' }]);
    const row = await disputeRow('du_twice');
    expect(await timelineOf(deps.db, row.id)).toHaveLength(1);
    expect(await announced(row.id)).toEqual(['dispute.opened', 'dispute.opened']);
  });

  it('an event seen before, in a batch again, changes nothing and repeats its first announcements', async () => {
    const id = await store(stripeEvent('created', 'du_again'));
    await processEvent(deps, id);
    const before = await disputeRow('du_again');
    const fresh = await store(stripeEvent('created', 'du_again_beside'));
    expect(await processEvents(deps, [fresh, id])).toEqual([{ status: 'processed' }, { status: 'processed' }]);
    expect(await disputeRow('du_again')).toEqual(before);
    expect(await announced(before.id)).toEqual(['dispute.opened', 'dispute.opened']);
    expect(await findEvent(deps.db, id)).toMatchObject({ status: 'processed', attempts: 2 });
  });
});
