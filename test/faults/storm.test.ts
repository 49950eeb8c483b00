import { createDb, type Db } from '../../src/db/pool';
import { FakeStripe } from '../fakes/stripe';
import { fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { adminHeaders, createTestDatabase, queuePrefix, waitFor } from '../support/services';
import { spawnServer, type SpawnedServer } from '../support/spawn-server';
import { deliverLikeStripe, disputeEvent, inParallel, STRIPE_SECRET } from './sender';

const DISPUTES = 40;
const COPIES = 4;
const SUBMITTED = 5;

describe('two receivers and two workers as separate processes, under a duplicate storm', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  const stripe = new FakeStripe();
  const processes: SpawnedServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await stripe.start();
    db = createDb(database.url, { max: 2 });
    const env = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: queuePrefix('storm'),
      STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET,
      STRIPE_SECRET_KEY: 'sk_test_storm_0123456789',
      STRIPE_API_BASE: stripe.url,
      LOG_LEVEL: 'error',
    };
    // One at a time: each compiles the server at start, and the machine is shared.
    for (const role of ['receiver', 'receiver', 'worker', 'worker'] as const) processes.push(await spawnServer(env, role));
  });
  afterAll(async () => {
    for (const p of processes) await p.stop();
    await db.destroy();
    await stripe.close();
    await database.drop();
  });

  it('makes one dispute per provider dispute, and one provider submission per request', async () => {
    const receivers = processes.slice(0, 2).map((p) => p.url);
    const template = JSON.parse(fixtureText('stripe/charge.dispute.created.json')).data.object;
    for (let i = 0; i < SUBMITTED; i++) stripe.disputes.set(`du_storm_${i}`, { ...structuredClone(template), id: `du_storm_${i}` });

    // Every event delivered COPIES times, shuffled across both receivers, several at once.
    const deliveries = Array.from({ length: DISPUTES * COPIES }, (_, n) => n % DISPUTES).sort(() => Math.random() - 0.5);
    const answers = await inParallel(deliveries, 12, (i) => deliverLikeStripe(receivers.slice(i % 2).concat(receivers.slice(0, i % 2)), `evt_storm_${i}`, disputeEvent(`evt_storm_${i}`, `du_storm_${i}`)));
    const ids = new Map<string, Set<string>>();
    for (const a of answers) ids.set(a.eventId, (ids.get(a.eventId) ?? new Set()).add(a.storedAs));
    // Every copy of an event was answered with the one id it is stored under.
    expect([...ids.values()].every((s) => s.size === 1)).toBe(true);
    expect(await db.selectFrom('events').select('id').execute()).toHaveLength(DISPUTES);
    await waitFor(async () => (await db.selectFrom('events').select('status').execute()).every((e) => e.status === 'processed'), 90_000, 'the workers');
    const disputes = await db.selectFrom('disputes').select(['id', 'provider_dispute_id']).execute();
    expect(disputes).toHaveLength(DISPUTES);

    // Ten submit calls per dispute, spread over both receivers, all at once.
    await post(`${receivers[0]}/api/import`, fixtureText('merchant/records.ndjson'), adminHeaders({ 'content-type': 'application/x-ndjson' }));
    const submitted = disputes.filter((d) => Number(d.provider_dispute_id.split('_')[2]) < SUBMITTED);
    const calls = submitted.flatMap((d) => Array.from({ length: 10 }, (_, k) => post(`${receivers[k % 2]}/api/disputes/${d.id}/submit`, '', adminHeaders())));
    const results = await Promise.all(calls);
    expect(results.filter((r) => !(r.status === 202 || (r.status === 409 && /already sent/.test(r.text)))).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    await waitFor(async () => {
      const rows = await db.selectFrom('submissions').select('status').execute();
      return rows.length === SUBMITTED && rows.every((r) => r.status === 'sent' || r.status === 'failed');
    }, 90_000, 'the submissions');
    const submissions = await db.selectFrom('submissions').select(['dispute_id', 'status']).execute();
    expect(submissions.map((s) => s.status)).toEqual(Array(SUBMITTED).fill('sent'));
    expect(new Set(submissions.map((s) => s.dispute_id)).size).toBe(SUBMITTED);
    expect(stripe.submissions).toBe(SUBMITTED);
    for (let i = 0; i < SUBMITTED; i++) {
      expect(stripe.calls('POST', `/v1/disputes/du_storm_${i}`).filter((r) => r.form?.get('submit') === 'true')).toHaveLength(1);
    }
  }, 300_000);
});
