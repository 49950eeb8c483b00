import { migrateDatabase } from '../../src/db/migrate';
import { createDb } from '../../src/db/pool';
import { stripeSignatureHeader } from '../../src/providers/stripe/sign';
import { fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, waitFor } from '../support/services';
import { spawnServer } from '../support/spawn-server';

const SECRET = 'whsec_e2e_server_0123456789';

describe('npm start (receiver and workers in one process)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('migrations are safe to run twice', async () => {
    expect(await migrateDatabase(database.url)).toEqual([]);
  });

  it('stores, queues and processes a webhook, then shuts down cleanly on SIGTERM', async () => {
    const server = await spawnServer({ DATABASE_URL: database.url, STRIPE_WEBHOOK_SECRETS: SECRET });
    try {
      const body = fixtureText('stripe/charge.dispute.created.json');
      const answer = await post(`${server.url}/webhooks/stripe`, body, { 'stripe-signature': stripeSignatureHeader(body, SECRET) });
      expect(answer.status).toBe(200);
      const event = await waitFor(async () => {
        const { json } = await get(`${server.url}/api/events/${answer.json.eventId}`, adminHeaders());
        return json.status === 'processed' || json.status === 'failed' ? json : undefined;
      }, 20_000, 'the worker');
      expect(event).toMatchObject({ status: 'processed', attempts: 1, lastError: null });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toContain('shutting down');
  });

  it('never answers 2xx for an event it did not keep, even while shutting down', async () => {
    const server = await spawnServer({ DATABASE_URL: database.url, STRIPE_WEBHOOK_SECRETS: SECRET });
    const template = JSON.parse(fixtureText('stripe/charge.dispute.created.json'));
    const sends = Array.from({ length: 40 }, (_, i) => {
      const body = JSON.stringify({ ...template, id: `evt_shutdown_${i}` });
      return post(`${server.url}/webhooks/stripe`, body, { 'stripe-signature': stripeSignatureHeader(body, SECRET) }).catch(() => ({ status: 0, json: undefined }));
    });
    const exit = server.stop();
    const answers = await Promise.all(sends);
    expect(await exit).toBe(0);
    const accepted = answers.filter((a) => a.status === 200).map((a) => a.json.eventId as string);
    const db = createDb(database.url);
    try {
      const stored = await db.selectFrom('events').select('id').where('id', 'in', accepted.length ? accepted : ['00000000-0000-4000-8000-000000000000']).execute();
      expect(stored).toHaveLength(accepted.length);
    } finally {
      await db.destroy();
    }
  });

  it('refuses to start with an invalid setting and names it', async () => {
    await expect(spawnServer({ DATABASE_URL: database.url, ALERT_TIMEZONE: 'Nowhere/Land' })).rejects.toThrow(
      /Invalid setting ALERT_TIMEZONE/,
    );
  });
});
