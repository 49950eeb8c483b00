import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { freshen } from '../../src/cli/replay';
import { createDb } from '../../src/db/pool';
import { insertDispute } from '../support/disputes';
import { loadConfig } from '../../src/config';
import { signDelivery } from '../../src/providers/signing';
import { FakeStripe } from '../fakes/stripe';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { ADMIN_TOKEN, adminHeaders, createTestDatabase, uniqueName, waitFor } from '../support/services';
import { ROOT, spawnServer, type SpawnedServer } from '../support/spawn-server';

const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
// Playwright adds --headless and a fresh profile itself.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the staff dashboard in a real browser', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: SpawnedServer;
  let browser: Browser;
  let disputeId: string;
  const stripe = new FakeStripe();

  beforeAll(async () => {
    database = await createTestDatabase();
    await stripe.start();
    const env = {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: uniqueName('dash'),
      STRIPE_WEBHOOK_SECRETS: 'whsec_dashboard_0123456789',
      STRIPE_SECRET_KEY: 'sk_test_dashboard_0123',
      STRIPE_API_BASE: stripe.url,
      LOG_LEVEL: 'warn',
    };
    server = await spawnServer(env);
    await post(`${server.url}/api/import`, fixtureText('merchant/records.ndjson'), adminHeaders({ 'content-type': 'application/x-ndjson' }));
    // The fixture's deadline has passed by now: replay it as `rebuttal replay --fresh` would.
    const created = fixtureJson<any>('stripe/charge.dispute.created.json');
    const body = JSON.stringify(freshen('stripe', created, Date.now() - created.created * 1000));
    const config = loadConfig({ ...env, ADMIN_TOKEN });
    expect((await post(`${server.url}/webhooks/stripe`, body, signDelivery('stripe', body, config))).status).toBe(200);
    disputeId = await waitFor(async () => {
      const { json } = await get(`${server.url}/api/disputes`, adminHeaders());
      const id = json.disputes[0]?.id;
      return id && (await get(`${server.url}/api/disputes/${id}`, adminHeaders())).json.packet ? id : undefined;
    }, 20_000, 'the replayed dispute and its packet');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server.stop();
    await stripe.close();
    await database.drop();
  });

  it('log in, see the dispute in the list, open it, submit, and see the submission sent', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    const row = page.getByRole('row', { name: /du_1QkZr9LzW8xYp1Aa5bHc2mPq/ });
    await expect(row.textContent()).resolves.toMatch(/\$45\.99.*product not received.*needs response.*100%/s);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'disputes.png'), fullPage: true });

    await row.getByRole('link').click();
    await page.waitForURL(`${server.url}/disputes/${disputeId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('$45.99 · product not received');
    await expect(page.locator('main').textContent()).resolves.toMatch(/1Z999AA10123456784[\s\S]*Got the lamp today/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dispute.png'), fullPage: true });

    await page.getByRole('link', { name: 'Submit evidence…' }).click();
    await page.getByRole('button', { name: 'Yes, submit' }).click();
    await page.waitForURL(/\/disputes\/[0-9a-f-]+\?flash=/);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Submission queued/);
    await waitFor(async () => {
      await page.reload();
      return /submit · sent/.test((await page.locator('#submissions').textContent()) ?? '');
    }, 20_000, 'the submission to be sent');
    await expect(page.locator('main').textContent()).resolves.toContain('This dispute no longer takes a response.');
    expect(stripe.submissions).toBe(1);

    await page.getByRole('link', { name: 'Events' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Events');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'events.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'disputes-phone.png'), fullPage: true });
    await page.goto(`${server.url}/admin/queues`);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/queues/);
    await page.close();
  });

  it('staff fill in missing tracking from the dispute page and the evidence is gathered again', async () => {
    const db = createDb(database.url, { max: 1 });
    const id = await insertDispute(db, {
      provider: 'square',
      provider_dispute_id: 'sq-dashboard-no-tracking',
      provider_payment_id: 'Bdq4B6Rq1JFbx7JT8vN2mSmcWYbZY',
      amount_value: 6350,
      reason: 'product_not_received',
    });
    await db.destroy();
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${server.url}/disputes/${id}`);
    const before = (await page.locator('#packet-h').textContent())!;
    expect(before).toMatch(/Evidence packet: \d+% complete/);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Missing:.*tracking number/);

    await page.getByText('Record a shipment').click();
    await page.getByLabel('Carrier').fill('Royal Mail');
    await page.getByLabel('Tracking number').fill('RM123456785GB');
    await page.getByLabel('Shipped on').fill('2026-10-29');
    await page.getByLabel('Delivered on').fill('2026-11-02');
    await page.getByLabel('Status').selectOption('delivered');
    await page.getByRole('button', { name: 'Save shipment' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Shipment saved/);
    await waitFor(async () => {
      await page.reload();
      return /Tracking number RM123456785GB \(Royal Mail\)/.test((await page.locator('main').textContent()) ?? '');
    }, 20_000, 'the packet to include the new tracking');
    const after = (await page.locator('#packet-h').textContent())!;
    expect(Number(/(\d+)%/.exec(after)![1])).toBeGreaterThan(Number(/(\d+)%/.exec(before)![1]));
    await page.close();
  });

  it('without the token every page redirects to the login and every API answers 401', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const pathname of ['/', `/disputes/${disputeId}`, '/events', '/admin/queues']) {
      await page.goto(`${server.url}${pathname}`);
      expect(new URL(page.url()).pathname).toBe('/login');
    }
    await context.close();
    for (const pathname of ['/api/disputes', `/api/disputes/${disputeId}`, `/api/disputes/${disputeId}/packet.pdf`, '/api/events', '/metrics']) {
      expect((await get(`${server.url}${pathname}`)).status).toBe(401);
    }
    expect((await post(`${server.url}/api/disputes/${disputeId}/accept`, '')).status).toBe(401);
  });

  it('refuses a cookie-authenticated change that comes from another site', async () => {
    const login = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${ADMIN_TOKEN}` });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^rebuttal_session=/);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    const forged = await fetch(`${server.url}/api/disputes/${disputeId}/accept`, { method: 'POST', headers: { cookie, origin: 'https://evil.example.com' } });
    expect(forged.status).toBe(403);
    expect((await fetch(`${server.url}/api/disputes`, { headers: { cookie } })).status).toBe(200);
  });
});
