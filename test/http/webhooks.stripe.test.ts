import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { countEvents } from '../support/db';
import { fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { createTestDatabase, emptyQueues, relayCaughtUp, queuedEventIds, queuedEventIdsOnce, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

const OLD_SECRET = 'whsec_old_0123456789abcdef';
const NEW_SECRET = 'whsec_new_fedcba9876543210';
const created = fixtureText('stripe/charge.dispute.created.json');

describe('POST /webhooks/stripe', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  const send = (body: string | Buffer, signature?: string) =>
    post(`${receiver.url}/webhooks/stripe`, body, signature ? { 'stripe-signature': signature } : {});
  const jobs = async () => (await queuedEventIds(receiver.runtime)).length;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(
      testConfig(database.url, { STRIPE_WEBHOOK_SECRETS: `${OLD_SECRET},${NEW_SECRET}`, WEBHOOK_MAX_BYTES: '65536' }),
    );
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

  it('stores a verified new dispute event, queues its id and answers with our event id', async () => {
    const answer = await send(created, stripeSignatureHeader(created, OLD_SECRET));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ received: true, duplicate: false, eventId: expect.any(String) });

    const row = await receiver.runtime.db.selectFrom('events').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      id: answer.json.eventId,
      provider: 'stripe',
      provider_event_id: 'evt_1QkZrALzW8xYp1AaQ2w9xV3b',
      type: 'charge.dispute.created',
      status: 'received',
      attempts: 0,
    });
    expect(row.raw_body.toString('utf8')).toBe(created);
    expect(row.headers).not.toHaveProperty('stripe-signature');
    expect(await queuedEventIdsOnce(receiver.runtime, 1)).toEqual([answer.json.eventId]);
  });

  it('accepts a delivery signed with the second of two configured secrets (rotation)', async () => {
    const answer = await send(created, stripeSignatureHeader(created, NEW_SECRET));
    expect(answer.status).toBe(200);
  });

  it('accepts a header carrying several v1 signatures when any one matches', async () => {
    const t = Math.floor(Date.now() / 1000);
    const good = stripeSignatureHeader(created, NEW_SECRET, t);
    const header = `t=${t},v1=${'0'.repeat(64)},${good.split(',')[1]}`;
    expect((await send(created, header)).status).toBe(200);
  });

  it('answers a redelivery as a duplicate with the first event id and queues nothing new', async () => {
    const first = await send(created, stripeSignatureHeader(created, OLD_SECRET));
    const second = await send(created, stripeSignatureHeader(created, OLD_SECRET));
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ received: true, duplicate: true, eventId: first.json.eventId });
    expect(await countEvents(receiver.runtime.db)).toBe(1);
    await relayCaughtUp(receiver.runtime);
    expect(await queuedEventIds(receiver.runtime)).toEqual([first.json.eventId]);
  });

  it('acknowledges a verified event that is not about disputes without storing or queueing it', async () => {
    const body = JSON.stringify({ id: 'evt_charge_ok', object: 'event', type: 'charge.succeeded', data: { object: {} } });
    const answer = await send(body, stripeSignatureHeader(body, OLD_SECRET));
    expect(answer).toMatchObject({ status: 200, json: { received: true, ignored: true } });
    expect(await countEvents(receiver.runtime.db)).toBe(0);
    expect(await jobs()).toBe(0);
  });

  it.each([
    ['no Stripe-Signature header', undefined],
    ['an unreadable header', 'garbage'],
    ['a signature made with an unknown secret', stripeSignatureHeader(created, 'whsec_attacker')],
    ['a signature of other bytes', stripeSignatureHeader(created.replace('4599', '1'), OLD_SECRET)],
  ])('refuses %s with 400 invalid_signature and stores nothing', async (_case, signature) => {
    const answer = await send(created, signature);
    expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_signature' } });
    expect(await countEvents(receiver.runtime.db)).toBe(0);
    expect(await jobs()).toBe(0);
  });

  it('refuses an event signed 301 s ago as stale, and stores nothing', async () => {
    const answer = await send(created, stripeSignatureHeader(created, OLD_SECRET, Math.floor(Date.now() / 1000) - 301));
    expect(answer).toMatchObject({ status: 400, json: { error: 'stale_timestamp' } });
    expect(await countEvents(receiver.runtime.db)).toBe(0);
  });

  it('still accepts an event signed 299 s ago', async () => {
    const answer = await send(created, stripeSignatureHeader(created, OLD_SECRET, Math.floor(Date.now() / 1000) - 299));
    expect(answer.status).toBe(200);
  });

  it('refuses a body one byte over WEBHOOK_MAX_BYTES with 413 and stores nothing', async () => {
    const padded = JSON.stringify({ ...JSON.parse(created), padding: '' });
    const body = padded.replace('"padding":""', `"padding":"${'x'.repeat(65536 - padded.length + 1)}"`);
    expect(Buffer.byteLength(body)).toBe(65537);
    const answer = await send(body, stripeSignatureHeader(body, OLD_SECRET));
    expect(answer.status).toBe(413);
    expect(await countEvents(receiver.runtime.db)).toBe(0);
  });

  it('accepts a body exactly at WEBHOOK_MAX_BYTES', async () => {
    const padded = JSON.stringify({ ...JSON.parse(created), padding: '' });
    const body = padded.replace('"padding":""', `"padding":"${'x'.repeat(65536 - padded.length)}"`);
    expect((await send(body, stripeSignatureHeader(body, OLD_SECRET))).status).toBe(200);
  });

  it.each([
    ['text that is not JSON', 'this is not json'],
    ['truncated JSON', created.slice(0, 200)],
    ['JSON that is not a Stripe event', JSON.stringify({ hello: 'world' })],
  ])('refuses correctly signed %s as malformed_body', async (_case, body) => {
    const answer = await send(body, stripeSignatureHeader(body, OLD_SECRET));
    expect(answer).toMatchObject({ status: 400, json: { error: 'malformed_body' } });
    expect(await countEvents(receiver.runtime.db)).toBe(0);
  });

  it('answers 404 provider_not_configured for a provider without secrets', async () => {
    const answer = await post(`${receiver.url}/webhooks/square`, '{}');
    expect(answer).toMatchObject({ status: 404, json: { error: 'provider_not_configured' } });
  });
});
