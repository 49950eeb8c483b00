import { sql } from 'kysely';
import { Client } from 'pg';
import { EVENTS_COMMITTED, findEvent, type NewEvent } from '../../src/db/events';
import { JOB_POLICIES } from '../../src/queue/policies';
import { startEventRelay, type RelayOptions } from '../../src/queue/relay';
import { createDb } from '../../src/db/pool';
import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { countEvents } from '../support/db';
import { fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { createTestDatabase, emptyQueues, queuedEventIds, queuedEventIdsOnce, relayCaughtUp, startTestReceiver, testConfig, type TestReceiver } from '../support/services';
import { spawnServer } from '../support/spawn-server';

const SECRET = 'whsec_batches_0123456789';
const template = JSON.parse(fixtureText('stripe/charge.dispute.created.json'));

/** A distinct Stripe dispute event, as the provider would deliver it. */
function stripeEvent(id: string): NewEvent {
  const body = JSON.stringify({ ...template, id });
  return { provider: 'stripe', providerEventId: id, type: template.type, rawBody: Buffer.from(body), headers: { 'content-type': 'application/json' } };
}

const deliver = (url: string, id: string) => {
  const body = JSON.stringify({ ...template, id });
  return post(`${url}/webhooks/stripe`, body, { 'stripe-signature': stripeSignatureHeader(body, SECRET) });
};

async function batchSizes(receiver: TestReceiver): Promise<{ batches: number; deliveries: number }> {
  const { values } = await receiver.runtime.metrics.ingestBatchSize.get();
  const value = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
  return { batches: value('rebuttal_ingest_batch_size_count'), deliveries: value('rebuttal_ingest_batch_size_sum') };
}

/** Another relay on the receiver's database and queue, as another worker process would run it. */
const relayOn = (receiver: TestReceiver, options: Partial<RelayOptions> = {}) =>
  startEventRelay({ db: receiver.runtime.db, queue: receiver.runtime.queues.events, log: receiver.runtime.log }, options);

/** The receiver's own relay again, for the tests after one that stopped it. */
async function restoreRelay(receiver: TestReceiver): Promise<void> {
  receiver.relay = relayOn(receiver);
  await receiver.relay.ready;
}

/** What pg_stat_activity shows for the session of the listening relay. */
const LISTENING = `listen ${EVENTS_COMMITTED}`;

describe('group commit of webhook deliveries', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: SECRET }));
  });
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });
  beforeEach(async () => {
    await relayCaughtUp(receiver.runtime);
    await receiver.runtime.db.deleteFrom('events').execute();
    await emptyQueues(receiver.runtime);
  });

  it('commits the deliveries waiting together as one batch; a repeat inside it answers duplicate with the first id', async () => {
    const before = await batchSizes(receiver);
    const [a, b, again, c] = await Promise.all(
      ['evt_batch_a', 'evt_batch_b', 'evt_batch_a', 'evt_batch_c'].map((id) => receiver.runtime.ingest.store(stripeEvent(id))),
    );
    expect(await batchSizes(receiver)).toEqual({ batches: before.batches + 1, deliveries: before.deliveries + 4 });
    expect([a, b, c].map((x) => x!.duplicate)).toEqual([false, false, false]);
    expect(again).toEqual({ id: a!.id, duplicate: true });
    expect(await countEvents(receiver.runtime.db)).toBe(3);
    expect((await queuedEventIdsOnce(receiver.runtime, 3)).sort()).toEqual([a!.id, b!.id, c!.id].sort());
  });

  it('writes nothing to Redis itself: a relay queues what was committed before it listened and what it hears after, with the events retry policy', async () => {
    await receiver.relay.stop();
    try {
      const stored = await Promise.all(['evt_relay_a', 'evt_relay_b'].map((id) => receiver.runtime.ingest.store(stripeEvent(id))));
      expect(await queuedEventIds(receiver.runtime)).toEqual([]);
      const relay = relayOn(receiver);
      try {
        await relay.ready;
        const lone = await receiver.runtime.ingest.store(stripeEvent('evt_relay_heard'));
        await queuedEventIdsOnce(receiver.runtime, 3);
        const jobs = await receiver.runtime.queues.events.getJobs(['waiting']);
        expect(jobs.map((j) => [j.id, j.data.eventId]).sort()).toEqual([...stored, lone].map(({ id }) => [`event-${id}`, id]).sort());
        expect(jobs[0]!.opts).toMatchObject({ attempts: JOB_POLICIES.events.attempts, backoff: JOB_POLICIES.events.backoff });
      } finally {
        await relay.stop();
      }
    } finally {
      await restoreRelay(receiver);
    }
  });

  it('listens again after losing its PostgreSQL connection, and queues what was committed meanwhile', async () => {
    const killer = new Client({ connectionString: database.url });
    await killer.connect();
    try {
      const { rows } = await killer.query(
        'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and query = $1',
        [LISTENING],
      );
      expect(rows).toEqual([{ ended: true }]);
    } finally {
      await killer.end();
    }
    const meanwhile = await receiver.runtime.ingest.store(stripeEvent('evt_relay_meanwhile'));
    expect(await queuedEventIdsOnce(receiver.runtime, 1)).toEqual([meanwhile.id]);
    const later = await receiver.runtime.ingest.store(stripeEvent('evt_relay_later'));
    expect((await queuedEventIdsOnce(receiver.runtime, 2)).sort()).toEqual([meanwhile.id, later.id].sort());
  });

  it('one relay listens however many run; another takes over when it stops, and queues what was committed meanwhile', async () => {
    const listening = async () =>
      (await sql<{ count: number }>`select count(*)::int as count from pg_stat_activity
        where datname = current_database() and query = ${LISTENING}`.execute(receiver.runtime.db)).rows[0]!.count;
    const second = relayOn(receiver, { standbyMs: 100 });
    try {
      await second.ready;
      expect(await listening()).toBe(1);
      await receiver.relay.stop();
      const meanwhile = await receiver.runtime.ingest.store(stripeEvent('evt_relay_takeover'));
      expect(await queuedEventIdsOnce(receiver.runtime, 1)).toEqual([meanwhile.id]);
      expect(await listening()).toBe(1);
    } finally {
      await second.stop();
      await restoreRelay(receiver);
    }
  });

  it('keeps each body of a batch byte for byte, whatever its length or characters', async () => {
    const bodies = [
      JSON.stringify({ ...template, id: 'evt_bytes_a' }),
      JSON.stringify({ ...template, id: 'evt_bytes_b', data: { object: { ...template.data.object, reason: 'Zahlung nicht erkannt — 支払い ✓' } } }),
      `{"id":"evt_bytes_c","type":"${template.type}"}`,
    ];
    const events = bodies.map((body, i): NewEvent => ({ ...stripeEvent(`evt_bytes_${'abc'[i]}`), rawBody: Buffer.from(`  ${body}\r\n`) }));
    const stored = await Promise.all(events.map((e) => receiver.runtime.ingest.store(e)));
    for (const [i, { id }] of stored.entries()) {
      const event = await findEvent(receiver.runtime.db, id);
      expect(event!.rawBody.equals(events[i]!.rawBody)).toBe(true);
    }
  });

  it('answers a delivery already stored by an earlier batch as a duplicate with its first id, and queues it once', async () => {
    const first = await deliver(receiver.url, 'evt_batch_again');
    const answers = await Promise.all([deliver(receiver.url, 'evt_batch_again'), deliver(receiver.url, 'evt_batch_other')]);
    expect(answers[0]).toMatchObject({ status: 200, json: { received: true, duplicate: true, eventId: first.json.eventId } });
    expect(answers[1]).toMatchObject({ status: 200, json: { received: true, duplicate: false } });
    expect(await queuedEventIdsOnce(receiver.runtime, 2)).toHaveLength(2);
  });

  it('fails only the row PostgreSQL refuses; its batch-mates are committed and queued', async () => {
    const before = await batchSizes(receiver);
    // PostgreSQL text cannot hold a NUL character: the row is refused, the database is fine.
    const outcomes = await Promise.all(
      ['evt_mate_1', 'evt_bad_\u0000', 'evt_mate_2'].map((id) =>
        receiver.runtime.ingest.store(stripeEvent(id)).then(
          (stored) => ({ stored: !stored.duplicate }),
          (err: Error & { code?: string }) => ({ refused: err.code }),
        ),
      ),
    );
    expect(outcomes).toEqual([{ stored: true }, { refused: '22021' }, { stored: true }]);
    expect(await batchSizes(receiver)).toEqual({ batches: before.batches + 1, deliveries: before.deliveries + 3 });
    expect(await countEvents(receiver.runtime.db)).toBe(2);
    expect(await queuedEventIdsOnce(receiver.runtime, 2)).toHaveLength(2);

    const answer = await deliver(receiver.url, 'evt_bad_\u0000');
    expect(answer).toMatchObject({ status: 503, json: { error: 'store_unavailable' } });
  });

  it('when PostgreSQL fails under a batch, every delivery of it answers 503 and none of it is stored or queued', async () => {
    // A real failure: the table is locked, so the batch waits inside PostgreSQL, and its backend is then killed.
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query('lock table events in exclusive mode');
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `evt_doomed_${i}`);
      let answered = 0;
      const answers = Promise.all(ids.map((id) => deliver(receiver.url, id).finally(() => answered++)));
      const killer = new Client({ connectionString: database.url });
      await killer.connect();
      try {
        while (answered < ids.length) {
          await killer.query(
            `select pg_terminate_backend(pid) from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into events%'`,
          );
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await killer.end();
      }
      const all = await answers;
      expect(all.map((a) => [a.status, a.json.error])).toEqual(ids.map(() => [503, 'store_unavailable']));
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    expect(await countEvents(receiver.runtime.db)).toBe(0);
    expect(await queuedEventIds(receiver.runtime)).toEqual([]);
    expect(receiver.logs.text).toContain('the database could not take the write');
  });
});

describe('a lone delivery', () => {
  it('is answered at once, not after the batch wait or once a batch fills', async () => {
    const database = await createTestDatabase();
    const receiver = await startTestReceiver(
      testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: SECRET, INGEST_BATCH_WAIT_MS: '1000', INGEST_BATCH_MAX: '1000' }),
    );
    try {
      await deliver(receiver.url, 'evt_lone_warmup'); // connections opened, statements prepared
      const started = Date.now();
      const answer = await deliver(receiver.url, 'evt_lone');
      const elapsed = Date.now() - started;
      expect(answer).toMatchObject({ status: 200, json: { duplicate: false } });
      expect(elapsed).toBeLessThan(500);
      expect(await batchSizes(receiver)).toEqual({ batches: 2, deliveries: 2 });
    } finally {
      await receiver.stop();
      await database.drop();
    }
  });
});

describe('SIGTERM while batches are being committed', () => {
  it('exits cleanly, and every delivery answered 2xx is in the store', async () => {
    const database = await createTestDatabase();
    const server = await spawnServer(
      { DATABASE_URL: database.url, STRIPE_WEBHOOK_SECRETS: SECRET, INGEST_BATCH_WAIT_MS: '20', LOG_LEVEL: 'warn' },
      'receiver',
    );
    try {
      let firstAnswer!: () => void;
      const answering = new Promise<void>((resolve) => (firstAnswer = resolve));
      const sends = Array.from({ length: 300 }, (_, i) =>
        deliver(server.url, `evt_sigterm_${i}`)
          .catch(() => ({ status: 0, json: undefined }))
          .finally(() => firstAnswer()),
      );
      await answering;
      const exit = server.stop();
      const answers = await Promise.all(sends);
      expect(await exit).toBe(0);
      const accepted = answers.filter((a) => a.status === 200).map((a) => a.json.eventId as string);
      const refusedOrCut = answers.filter((a) => a.status !== 200);
      expect(accepted.length).toBeGreaterThan(0);
      expect(refusedOrCut.every((a) => a.status === 0 || a.status === 503)).toBe(true);
      const db = createDb(database.url, { max: 1 });
      try {
        const stored = await db.selectFrom('events').select('id').where('id', 'in', accepted).execute();
        expect(stored).toHaveLength(accepted.length);
      } finally {
        await db.destroy();
      }
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
