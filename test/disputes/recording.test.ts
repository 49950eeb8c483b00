import fc from 'fast-check';
import { insertEvent } from '../../src/db/events';
import { createDb, type Db } from '../../src/db/pool';
import type { DisputeFacts } from '../../src/disputes/facts';
import { applyFact, type DisputeState } from '../../src/disputes/ordering';
import { recordFacts, recordManyFacts, stateOf, timelineOf } from '../../src/disputes/repository';
import { scenarioFacts, scenarios } from '../support/normalize';
import { createTestDatabase } from '../support/services';

const fold = (facts: DisputeFacts[]) => facts.reduce<DisputeState | undefined>((state, fact) => applyFact(state, fact).state, undefined);

describe('recording facts in PostgreSQL under the dispute row lock', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let run = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  /** One stored event per fact, as the receiver would have stored it. */
  async function storeEvents(story: DisputeFacts[]): Promise<string[]> {
    return Promise.all(
      story.map(async (fact, i) => {
        const { id } = await insertEvent(db, {
          provider: fact.provider,
          providerEventId: `${fact.providerDisputeId}-event-${i}`,
          type: `story.step.${i}`,
          rawBody: Buffer.from('{}'),
          headers: {},
        });
        return id;
      }),
    );
  }

  const stories = scenarios().map((scenario) => [scenario, scenarioFacts(scenario)] as const);

  it('any permutation with duplicates, one by one, all at once or in batches two at a time, ends in the record of the ordered sequence, one timeline entry per event', async () => {
    const delivery = fc.constantFrom(...stories).chain(([scenario, story]) =>
      fc.record({
        scenario: fc.constant(scenario),
        story: fc.constant(story),
        // each event at least once, some again (a retry or a redrive), in any order
        order: fc.shuffledSubarray(story.map((_, i) => i), { minLength: story.length }),
        again: fc.array(fc.tuple(fc.nat({ max: story.length - 1 }), fc.nat()), { maxLength: 4 }),
        how: fc.constantFrom('one by one', 'concurrently', 'in batches'),
        // where the sequence is cut into batches
        cuts: fc.array(fc.nat(), { maxLength: 4 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(delivery, async ({ story: original, order, again, how, cuts }) => {
        run += 1;
        const story = original.map((fact) => ({ ...fact, providerDisputeId: `${fact.providerDisputeId}-run${run}` }));
        const eventIds = await storeEvents(story);
        const sequence = [...order];
        for (const [index, position] of again) sequence.splice(position % (sequence.length + 1), 0, index);
        const eventOf = (i: number) => ({ event: { id: eventIds[i]!, type: `story.step.${i}` }, facts: [story[i]!] });
        const record = (i: number) => recordFacts(db, eventOf(i).event, eventOf(i).facts);
        // As the event stage does: an event whose dispute another batch created meanwhile is recorded alone.
        const recordBatch = async (batch: number[]) => {
          const recorded = await db.transaction().execute((trx) => recordManyFacts(trx, batch.map(eventOf)));
          await Promise.all(recorded.map((r, j) => r ?? record(batch[j]!)));
        };
        if (how === 'concurrently') await Promise.all(sequence.map(record));
        else if (how === 'one by one') for (const i of sequence) await record(i);
        else {
          const bounds = [...new Set(cuts.map((c) => c % (sequence.length + 1)))].sort((a, b) => a - b);
          const batches = [0, ...bounds].map((from, b) => sequence.slice(from, [...bounds, sequence.length][b])).filter((batch) => batch.length > 0);
          for (let b = 0; b < batches.length; b += 2) await Promise.all(batches.slice(b, b + 2).map(recordBatch));
        }

        const row = await db.selectFrom('disputes').selectAll().where('provider_dispute_id', '=', story[0]!.providerDisputeId).executeTakeFirstOrThrow();
        expect(stateOf(row)).toEqual(fold(story));
        const timeline = await timelineOf(db, row.id);
        expect(timeline.map((t) => t.eventId).sort()).toEqual([...eventIds].sort());
      }),
      { numRuns: 90 },
    );
  }, 90_000);

  it('a retried event changes nothing and repeats the announcements of its first processing', async () => {
    const [created, update] = scenarioFacts('stripe-inquiry-to-chargeback').map((f) => ({ ...f, providerDisputeId: 'du_retried' }));
    const [first, second] = await storeEvents([created!, update!]);
    expect(await recordFacts(db, { id: first!, type: 'charge.dispute.created' }, [created!])).toMatchObject({ changes: ['opened'], applied: true });
    const escalated = await recordFacts(db, { id: second!, type: 'charge.dispute.updated' }, [update!]);
    expect(escalated).toMatchObject({ applied: true, changes: ['deadline_changed'] });
    const before = await db.selectFrom('disputes').selectAll().where('provider_dispute_id', '=', 'du_retried').executeTakeFirstOrThrow();
    expect(await recordFacts(db, { id: second!, type: 'charge.dispute.updated' }, [update!])).toEqual(escalated);
    const after = await db.selectFrom('disputes').selectAll().where('provider_dispute_id', '=', 'du_retried').executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(await timelineOf(db, after.id)).toHaveLength(2);
  });
});
