import { findEvent, insertEvent, markRequeued } from '../../src/db/events';
import { processEvent } from '../../src/disputes/process-event';
import { timelineOf } from '../../src/disputes/repository';
import { fixtureText } from '../support/fixtures';
import { createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

describe('where an event and its timeline entry came from', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url));
  });
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });

  it('a webhook is "webhook"; processed for the first time after a staff redrive, its timeline entry says "redrive"', async () => {
    const { db, log, queues } = receiver.runtime;
    const deps = { db, log, queues, providers: receiver.runtime.providers.ports };
    const created = fixtureText('stripe/charge.dispute.created.json');
    const webhook = await insertEvent(db, { provider: 'stripe', providerEventId: 'evt_source_webhook', type: 'charge.dispute.created', rawBody: Buffer.from(created), headers: {} });
    expect((await findEvent(db, webhook.id))?.source).toBe('webhook');
    await processEvent(deps, webhook.id);

    const updated = fixtureText('stripe/charge.dispute.updated.json');
    const redriven = await insertEvent(db, { provider: 'stripe', providerEventId: 'evt_source_redrive', type: 'charge.dispute.updated', rawBody: Buffer.from(updated), headers: {} });
    await markRequeued(db, redriven.id);
    await processEvent(deps, redriven.id);

    const dispute = await db.selectFrom('disputes').select('id').executeTakeFirstOrThrow();
    expect((await timelineOf(db, dispute.id)).map((t) => [t.eventId, t.source])).toEqual([
      [webhook.id, 'webhook'],
      [redriven.id, 'redrive'],
    ]);
    // The event keeps its origin.
    expect((await findEvent(db, redriven.id))?.source).toBe('webhook');
  });
});
