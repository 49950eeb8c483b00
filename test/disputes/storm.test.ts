import type { Worker } from 'bullmq';
import { listDisputes } from '../../src/disputes/repository';
import { startEventWorker } from '../../workers/events';
import { signDelivery } from '../support/deliver';
import { fixtureJson } from '../support/fixtures';
import { post } from '../support/http';
import { createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

const DISPUTES = 100;
const STATES = ['EVIDENCE_REQUIRED', 'EVIDENCE_REQUIRED', 'PROCESSING', 'WON', 'LOST'] as const;

/** Square events for dispute i: versions 1..n, the last one decides. */
function storyOf(i: number): Array<{ body: string; version: number; state: string }> {
  const length = 2 + (i % 4);
  return Array.from({ length }, (_, v) => {
    const event = fixtureJson<any>('square/dispute.created.json');
    const state = v === length - 1 ? STATES[(i + v) % STATES.length]! : STATES[v % 3]!;
    event.event_id = `00000000-0000-4000-8000-${String(i).padStart(6, '0')}${String(v).padStart(6, '0')}`;
    event.type = v === 0 ? 'dispute.created' : 'dispute.state.updated';
    Object.assign(event.data.object.object, {
      id: `storm-${i}`,
      state,
      version: v + 1,
      due_at: new Date(Date.UTC(2026, 11, 1 + (i % 20), v)).toISOString(),
      updated_at: new Date(Date.UTC(2026, 10, 5, v)).toISOString(),
    });
    event.data.id = `storm-${i}`;
    return { body: JSON.stringify(event), version: v + 1, state };
  });
}

describe('two workers, concurrency 8 each, a storm of interleaved events for 100 disputes', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  const workers: Worker[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(
      testConfig(database.url, { SQUARE_SIGNATURE_KEYS: 'sq-storm', SQUARE_WEBHOOK_URL: 'https://merchant.example.com/webhooks/square' }),
    );
    for (let w = 0; w < 2; w++) workers.push(startEventWorker(receiver.runtime, { concurrency: 8 }));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await receiver.stop();
    await database.drop();
  });

  it('every final record matches its last event, and no event failed', async () => {
    const stories = Array.from({ length: DISPUTES }, (_, i) => storyOf(i));
    // Interleave: round-robin across disputes, newest versions first for odd disputes, duplicates for every fifth.
    const deliveries = stories.flatMap((story, i) => {
      const ordered = i % 2 ? [...story].reverse() : story;
      return i % 5 === 0 ? [...ordered, ordered[0]!] : ordered;
    });
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    const config = receiver.runtime.config;
    for (let i = 0; i < deliveries.length; i += 25) {
      const batch = deliveries.slice(i, i + 25);
      const answers = await Promise.all(batch.map((d) => post(`${receiver.url}/webhooks/square`, d.body, signDelivery('square', d.body, config))));
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }
    const total = stories.reduce((n, s) => n + s.length, 0);
    await waitFor(async () => {
      const rows = await receiver.runtime.db.selectFrom('events').select('status').execute();
      return rows.length === total && rows.every((r) => r.status === 'processed' || r.status === 'failed');
    }, 110_000, 'every event to be processed');

    const failed = await receiver.runtime.db.selectFrom('events').select(['id', 'last_error']).where('status', '=', 'failed').execute();
    expect(failed).toEqual([]);
    const disputes = await listDisputes(receiver.runtime.db, { limit: 500 });
    expect(disputes).toHaveLength(DISPUTES);
    const expected = { EVIDENCE_REQUIRED: 'needs_response', PROCESSING: 'under_review', WON: 'won', LOST: 'lost' } as const;
    for (const [i, story] of stories.entries()) {
      const last = story.at(-1)!;
      const dispute = disputes.find((d) => d.providerDisputeId === `storm-${i}`);
      expect({ id: `storm-${i}`, status: dispute?.status, providerStatus: dispute?.providerStatus, dueBy: dispute?.dueBy }).toEqual({
        id: `storm-${i}`,
        status: expected[last.state as keyof typeof expected],
        providerStatus: last.state,
        dueBy: JSON.parse(last.body).data.object.object.due_at,
      });
    }
    const timeline = await receiver.runtime.db.selectFrom('dispute_timeline').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(timeline.n)).toBe(total);
  });
});
