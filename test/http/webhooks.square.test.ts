import { squareSignature } from '../../src/providers/square/sign';
import { countEvents } from '../support/db';
import { fixtureText } from '../support/fixtures';
import { post } from '../support/http';
import { createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

const NOTIFICATION_URL = 'https://merchant.example.com/webhooks/square';
const OLD_KEY = 'sq-signature-key-old-7f3a';
const NEW_KEY = 'sq-signature-key-new-91bc';
const created = fixtureText('square/dispute.created.json');

describe('POST /webhooks/square', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  const send = (body: string, signature?: string) =>
    post(`${receiver.url}/webhooks/square`, body, signature ? { 'x-square-hmacsha256-signature': signature } : {});

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(
      testConfig(database.url, { SQUARE_SIGNATURE_KEYS: `${OLD_KEY},${NEW_KEY}`, SQUARE_WEBHOOK_URL: NOTIFICATION_URL }),
    );
  });
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });
  beforeEach(async () => {
    await receiver.runtime.db.deleteFrom('events').execute();
  });

  it('stores an event signed over the configured notification URL, whatever URL it arrived at', async () => {
    const answer = await send(created, squareSignature(created, NOTIFICATION_URL, OLD_KEY));
    expect(answer).toMatchObject({ status: 200, json: { received: true, duplicate: false } });
    const row = await receiver.runtime.db.selectFrom('events').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ provider: 'square', provider_event_id: '1b3b7e7c-3e1f-4a86-9d58-5bd1e0c2a611', type: 'dispute.created' });
    expect(row.headers).not.toHaveProperty('x-square-hmacsha256-signature');
  });

  it('accepts a signature made with the second configured key (rotation)', async () => {
    expect((await send(created, squareSignature(created, NOTIFICATION_URL, NEW_KEY))).status).toBe(200);
  });

  it.each([
    ['computed for another URL', squareSignature(created, 'http://merchant.example.com/webhooks/square', OLD_KEY)],
    ['computed for the URL with a trailing slash', squareSignature(created, `${NOTIFICATION_URL}/`, OLD_KEY)],
    ['made with an unknown key', squareSignature(created, NOTIFICATION_URL, 'someone-else')],
    ['absent', undefined],
  ])('refuses a signature %s with 400 invalid_signature and stores nothing', async (_case, signature) => {
    expect(await send(created, signature)).toMatchObject({ status: 400, json: { error: 'invalid_signature' } });
    expect(await countEvents(receiver.runtime.db)).toBe(0);
  });

  it('ignores the legacy HMAC-SHA1 header: it alone does not authenticate', async () => {
    const answer = await post(`${receiver.url}/webhooks/square`, created, { 'x-square-signature': 'anything' });
    expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_signature' } });
  });

  it('refuses a correctly signed body that is not JSON as malformed_body', async () => {
    const body = '<xml>not json</xml>';
    expect(await send(body, squareSignature(body, NOTIFICATION_URL, OLD_KEY))).toMatchObject({
      status: 400,
      json: { error: 'malformed_body' },
    });
  });

  it('answers a redelivery of the same event_id as a duplicate', async () => {
    const first = await send(created, squareSignature(created, NOTIFICATION_URL, OLD_KEY));
    const again = await send(created, squareSignature(created, NOTIFICATION_URL, NEW_KEY));
    expect(again.json).toEqual({ received: true, duplicate: true, eventId: first.json.eventId });
  });
});
