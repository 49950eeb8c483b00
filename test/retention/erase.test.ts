import { insertEvent } from '../../src/db/events';
import { erasePersonalData } from '../../src/retention/erase';
import { insertDispute } from '../support/disputes';
import { fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

const DAY = 86_400_000;

/** The fixture records three times over, under their own order ids; order-10511's copy is paid by ch_<suffix>. */
function records(suffixes: string[]): string {
  const lines = fixtureText('merchant/records.ndjson').trim().split('\n').map((l) => JSON.parse(l));
  return suffixes
    .flatMap((suffix) =>
      lines.map((l) => {
        const orderId = `${l.data.orderId}-${suffix}`;
        const paymentIds = [l.data.orderId === 'order-10511' ? `ch_${suffix}` : `ch_${orderId}`];
        return { ...l, data: { ...l.data, orderId, ...(l.type === 'order' ? { paymentIds } : {}) } };
      }),
    )
    .map((l) => JSON.stringify(l))
    .join('\n');
}

describe('RETENTION_DAYS: personal data of disputes closed long ago', () => {
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

  it('is erased, while outcome, amount, reason and dates stay; recent and open disputes keep theirs', async () => {
    const { db } = receiver.runtime;
    const imported = await post(`${receiver.url}/api/import`, records(['old', 'recent', 'open']), adminHeaders({ 'content-type': 'application/x-ndjson' }));
    expect(imported.json.rejected).toEqual([]);
    const now = new Date();
    const closed = (days: number) => ({ status: 'lost', outcome: 'lost', closed_at: new Date(now.getTime() - days * DAY), due_by: null });
    const old = await insertDispute(db, { provider_payment_id: 'ch_old', ...closed(100) });
    const recent = await insertDispute(db, { provider_payment_id: 'ch_recent', ...closed(10) });
    const open = await insertDispute(db, { provider_payment_id: 'ch_open' });
    const body = fixtureText('stripe/charge.dispute.created.json');
    const event = await insertEvent(db, { provider: 'stripe', providerEventId: 'evt_retention_old', type: 'charge.dispute.created', rawBody: Buffer.from(body), headers: { 'user-agent': 'Stripe/1.0' } });
    await db.insertInto('dispute_timeline').values({ dispute_id: old, event_id: event.id, event_type: 'charge.dispute.created', occurred_at: now, applied: true, note: 'opened', changes: '["opened"]', facts: '{}' }).execute();
    await db.insertInto('packets').values({ dispute_id: old, hash: 'h-old', packet: JSON.stringify({ customer: 'Mateo Alvarez' }) }).execute();
    const before = await db.selectFrom('disputes').selectAll().where('id', '=', old).executeTakeFirstOrThrow();

    expect(await erasePersonalData(db, 90, now)).toBe(1);

    const order = await db.selectFrom('orders').selectAll().where('order_id', '=', 'order-10511-old').executeTakeFirstOrThrow();
    expect(order.data.customer).toEqual({ name: '[erased]', email: 'erased@erased.invalid' });
    expect(order.data.ip).toBeUndefined();
    expect(order.customer_email).toBeNull();
    expect(JSON.stringify(order.data)).not.toMatch(/Mateo|Alcal|612 345/);
    const shipments = await db.selectFrom('shipments').select('data').where('order_id', '=', 'order-10511-old').execute();
    expect(shipments.length).toBeGreaterThan(0);
    for (const s of shipments) expect(JSON.stringify(s.data)).not.toMatch(/Alcal|Signed by/);
    expect(await db.selectFrom('messages').select('message_id').where('order_id', '=', 'order-10511-old').execute()).toEqual([]);
    expect(await db.selectFrom('packets').select('id').where('dispute_id', '=', old).execute()).toEqual([]);
    const stored = await db.selectFrom('events').select(['raw_body', 'headers']).where('id', '=', event.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.raw_body.toString())).toEqual({ erased: true, why: 'RETENTION_DAYS' });
    expect(stored.headers).toEqual({});

    const after = await db.selectFrom('disputes').selectAll().where('id', '=', old).executeTakeFirstOrThrow();
    const kept = ['status', 'outcome', 'amount_value', 'amount_currency', 'reason', 'provider_reason', 'opened_at', 'closed_at', 'due_by', 'provider_dispute_id'] as const;
    for (const column of kept) expect(after[column]).toEqual(before[column]);
    expect(after.personal_data_erased_at).toEqual(now);

    for (const suffix of ['recent', 'open']) {
      const untouched = await db.selectFrom('orders').select('data').where('order_id', '=', `order-10511-${suffix}`).executeTakeFirstOrThrow();
      expect((untouched.data.customer as { name: string }).name).toBe('Mateo Alvarez');
      expect(await db.selectFrom('messages').select('message_id').where('order_id', '=', `order-10511-${suffix}`).execute()).not.toEqual([]);
    }
    expect([recent, open]).toHaveLength(2);
    // Erased once: the next daily run has nothing to do.
    expect(await erasePersonalData(db, 90, now)).toBe(0);
  });
});
