import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { insertEvent } from '../../src/db/events';
import { createDb, type Db } from '../../src/db/pool';
import { stripeModule } from '../../src/providers/stripe/module';
import { signDelivery } from '../support/deliver';
import { FakeStripe } from '../fakes/stripe';
import { insertDispute } from '../support/disputes';
import { fixtureJson, fixtureText } from '../support/fixtures';
import { get, post } from '../support/http';
import { ADMIN_TOKEN, adminHeaders, createTestDatabase, queuePrefix, waitFor } from '../support/services';
import { ROOT, spawnServer, type SpawnedServer } from '../support/spawn-server';

const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
// Debian's Chromium through playwright-core: no browser download. Playwright adds a fresh profile.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// A host name that is not localhost, for the browser only: as if Rebuttal were reached over the LAN.
const LAN_HOST = 'rebuttal.test';
const HOUR = 3_600_000;
const REPLAYED_DISPUTE = 'du_1QkZr9LzW8xYp1Aa5bHc2mPq';

/** The first Set-Cookie of POST /login with this Host header (fetch cannot set Host). */
function loginCookie(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = `token=${ADMIN_TOKEN}`;
    const req = request(`${url}/login`, { method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length } }, (res) => {
      res.resume();
      resolve(String(res.headers['set-cookie']?.[0] ?? ''));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the staff dashboard in a real browser', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let server: SpawnedServer;
  let browser: Browser;
  let disputeId: string;
  const stripe = new FakeStripe();
  const env = {
    QUEUE_PREFIX: queuePrefix('dash'),
    STRIPE_WEBHOOK_SECRETS: 'whsec_dashboard_0123456789',
    STRIPE_SECRET_KEY: 'sk_test_dashboard_0123',
    LOG_LEVEL: 'warn',
  };

  /** A Stripe fixture as `rebuttal replay --fresh` sends it: signed, with times moved to now. */
  const freshStripeEvent = (fixture: string) => {
    const event = fixtureJson<any>(fixture);
    return JSON.stringify(stripeModule.replay.freshen(event, Date.now() - event.created * 1000));
  };

  const signIn = async (page: Page) => {
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, { max: 2 });
    await stripe.start();
    server = await spawnServer({ ...env, DATABASE_URL: database.url, STRIPE_API_BASE: stripe.url });
    const config = loadConfig({ ...env, DATABASE_URL: database.url, ADMIN_TOKEN });

    // One dispute the whole way in: merchant records, then the provider's webhook.
    await post(`${server.url}/api/import`, fixtureText('merchant/records.ndjson'), adminHeaders({ 'content-type': 'application/x-ndjson' }));
    const created = freshStripeEvent('stripe/charge.dispute.created.json');
    expect((await post(`${server.url}/webhooks/stripe`, created, signDelivery('stripe', created, config))).status).toBe(200);
    disputeId = await waitFor(async () => {
      const { json } = await get(`${server.url}/api/disputes?provider=stripe`, adminHeaders());
      const id = json.disputes.find((d: any) => d.providerDisputeId === REPLAYED_DISPUTE)?.id;
      return id && (await get(`${server.url}/api/disputes/${id}`, adminHeaders())).json.packet ? id : undefined;
    }, 20_000, 'the replayed dispute and its packet');

    // Two more, written as the pipeline leaves them, to show the deadline highlighting.
    await insertDispute(db, { provider: 'paypal', provider_dispute_id: 'PP-D-OVERDUE', amount_value: 12000, reason: 'fraud', due_by: new Date(Date.now() - 2 * HOUR) });
    await insertDispute(db, { provider: 'square', provider_dispute_id: 'sq-due-soon', amount_value: 2500, reason: 'product_unacceptable', due_by: new Date(Date.now() + 5 * HOUR) });

    // An event whose processing failed (as a worker leaves it after its last attempt).
    const failed = freshStripeEvent('stripe/charge.dispute.created.fraudulent.json');
    const { id: failedId } = await insertEvent(db, { provider: 'stripe', providerEventId: JSON.parse(failed).id, type: 'charge.dispute.created', rawBody: Buffer.from(failed), headers: {} });
    await db.updateTable('events').set({ status: 'failed', attempts: 5, last_error: 'connect ECONNREFUSED 127.0.0.1:5432' }).where('id', '=', failedId).execute();

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stripe.close();
    await db?.destroy();
    await database.drop();
  });

  it('staff sign in and see the disputes soonest deadline first, overdue and due-within-24h highlighted', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page);
    await page.waitForURL(`${server.url}/`);

    const rows = page.locator('tbody tr');
    await expect(rows.allTextContents()).resolves.toEqual([
      expect.stringMatching(/overdue by 2 h.*\$120\.00.*paypal PP-D-OVERDUE.*fraud.*needs response/s),
      expect.stringMatching(/4 h 59 min left.*\$25\.00.*square sq-due-soon.*product unacceptable/s),
      expect.stringMatching(new RegExp(`days .* left.*\\$45\\.99.*stripe ${REPLAYED_DISPUTE}.*product not received.*needs response.*100%`, 's')),
    ]);
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.className))).resolves.toEqual(['overdue', 'soon', '']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'disputes.png'), fullPage: true });

    await page.getByLabel('Provider').selectOption('square');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.locator('tbody tr').allTextContents()).resolves.toEqual([expect.stringContaining('sq-due-soon')]);
    await page.close();
  });

  it('the dispute page shows the packet, order, scans and conversation; Submit asks first, then the status changes', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${server.url}/`);
    await signIn(page);
    await page.getByRole('row', { name: new RegExp(REPLAYED_DISPUTE) }).getByRole('link').click();
    await page.waitForURL(`${server.url}/disputes/${disputeId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('$45.99 · product not received');
    await expect(page.locator('#dispute-status').textContent()).resolves.toBe('needs response');
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toMatch(/Evidence packet: 100% complete[\s\S]*Nothing missing/);
    expect(main).toMatch(/Order order-10511[\s\S]*Mateo Alvarez/);
    expect(main).toMatch(/UPS 1Z999AA10123456784 · delivered[\s\S]*Out for delivery \(Madrid, ES\)/);
    expect(main).toMatch(/Conversation[\s\S]*Got the lamp today/);
    expect(main).not.toMatch(/4242 4242/);
    const pdf = await page.request.get(`${server.url}/api/disputes/${disputeId}/packet.pdf`);
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dispute.png'), fullPage: true });

    await page.getByRole('link', { name: 'Submit evidence…' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Submit the evidence packet?');
    expect(stripe.submissions).toBe(0);
    await page.getByRole('button', { name: 'Yes, submit' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Submission queued/);
    // The page watches the submission and shows the outcome by itself.
    await page.locator('#dispute-status', { hasText: /^evidence submitted$/ }).waitFor({ timeout: 20_000 });
    await expect(page.locator('#submissions').textContent()).resolves.toMatch(/submit · sent/);
    await expect(page.locator('main').textContent()).resolves.toContain('No response can be sent: a submit was already sent.');
    expect(stripe.submissions).toBe(1);
    await page.close();
  });

  it('a failed event shows its error, and Re-drive processes it again', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
    await page.goto(`${server.url}/events`);
    await signIn(page);
    await page.waitForURL(`${server.url}/events`);
    const failedRow = page.locator('tr.failed');
    await expect(failedRow.textContent()).resolves.toMatch(/failed \(5 attempts\)[\s\S]*connect ECONNREFUSED/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'events.png'), fullPage: true });

    await failedRow.getByRole('button', { name: /Re-drive event evt_/ }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/queued again/);
    await waitFor(async () => {
      await page.goto(`${server.url}/events?status=failed`);
      return (await page.locator('tbody tr').count()) === 0;
    }, 20_000, 'the re-driven event to leave the failed state');
    await page.goto(`${server.url}/`);
    await expect(page.locator('tbody tr').count()).resolves.toBe(4);
    await page.close();
  });

  it('on a phone the tables become cards that fit the screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(`${server.url}/`);
    await signIn(page);
    await page.waitForURL(`${server.url}/`);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await expect(page.locator('tbody tr').first().evaluate((tr) => tr.ownerDocument.defaultView!.getComputedStyle(tr).display)).resolves.toBe('block');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'disputes-phone.png'), fullPage: true });
    await page.goto(`${server.url}/disputes/${disputeId}`);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await page.close();
  });

  it('the keyboard reaches the skip link first, and every control has a label', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await signIn(page);
    await page.waitForURL(`${server.url}/`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement?.textContent')).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');
    const unlabelled = await page.locator('select, input:not([type=hidden]), button').evaluateAll((els) =>
      els.filter((el) => !(el as unknown as { labels?: ArrayLike<unknown> }).labels?.length && !el.getAttribute('aria-label') && !el.textContent?.trim()).length,
    );
    expect(unlabelled).toBe(0);
    await page.close();
  });

  it('Bull Board is served under /admin/queues behind the same login', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/admin/queues`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page);
    await page.waitForURL(/\/admin\/queues/);
    await page.getByText('submissions', { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'queues.png') });
    const queues = await page.request.get(`${server.url}/admin/queues/api/queues?activeQueue=&page=1&jobsPerPage=10`);
    expect(queues.status()).toBe(200);
    const names = ((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['alerts', 'events', 'evidence', 'maintenance', 'sources', 'submissions']);
    await page.close();
  });

  it('a link from elsewhere (an alert email) leads through the login to the dispute, and straight there once signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/disputes/${disputeId}`);
    expect(`${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe(`/login?next=${encodeURIComponent(`/disputes/${disputeId}`)}`);
    await signIn(page);
    await page.waitForURL(`${server.url}/disputes/${disputeId}`);

    // A cross-site link does not carry the SameSite=Strict cookie: the login page finds it anyway.
    const visited: string[] = [];
    page.on('framenavigated', (frame) => visited.push(new URL(frame.url()).pathname));
    await page.goto('about:blank');
    await page.setContent(`<a href="${server.url}/disputes/${disputeId}">open</a>`);
    await page.getByRole('link', { name: 'open' }).click();
    await page.waitForURL(`${server.url}/disputes/${disputeId}`);
    expect(visited.slice(-2)).toEqual(['/login', `/disputes/${disputeId}`]);

    await context.close();

    // Only paths on this site are followed after signing in.
    for (const next of ['//evil.example.com/', 'https://evil.example.com/', '/\\evil.example.com', `/disputes/${disputeId}`]) {
      const body = new URLSearchParams({ token: ADMIN_TOKEN, next });
      const answer = await fetch(`${server.url}/login`, { method: 'POST', body, redirect: 'manual' });
      expect([next, answer.status, answer.headers.get('location')]).toEqual([next, 303, next.startsWith('/d') ? next : '/']);
    }
  });

  it('without the cookie every page redirects to the login and every API answers 401', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const pathname of ['/', `/disputes/${disputeId}`, `/disputes/${disputeId}/confirm?action=submit`, '/events', '/admin/queues', '/admin/queues/api/queues']) {
      await page.goto(`${server.url}${pathname}`);
      expect(new URL(page.url()).pathname).toBe('/login');
    }
    await context.close();
    for (const pathname of ['/api/disputes', `/api/disputes/${disputeId}`, `/api/disputes/${disputeId}/packet`, `/api/disputes/${disputeId}/packet.pdf`, '/api/events', '/metrics']) {
      expect([pathname, (await get(`${server.url}${pathname}`)).status]).toEqual([pathname, 401]);
    }
    for (const pathname of [`/api/disputes/${disputeId}/submit`, `/api/disputes/${disputeId}/accept`]) {
      expect([pathname, (await post(`${server.url}${pathname}`, '')).status]).toEqual([pathname, 401]);
    }
    const forms = await fetch(`${server.url}/disputes/${disputeId}/accept`, { method: 'POST', redirect: 'manual' });
    expect([forms.status, forms.headers.get('location')]).toEqual([303, '/login']);
  });

  it('the session cookie is HttpOnly and SameSite=Strict, Secure except over plain http to localhost, and not the token', async () => {
    const local = await loginCookie(server.url, new URL(server.url).host);
    expect(local).toMatch(/^rebuttal_session=[\w-]+;.*HttpOnly/i);
    expect(local).toMatch(/SameSite=Strict/i);
    expect(local).not.toMatch(/Secure/i);
    expect(local).not.toContain(ADMIN_TOKEN);
    await expect(loginCookie(server.url, 'rebuttal.example.com')).resolves.toMatch(/; Secure/i);
  });

  it('over plain http to a host other than localhost, the login page says the sign-in will not be kept', async () => {
    const page = await browser.newPage();
    const lan = `http://${LAN_HOST}:${new URL(server.url).port}`;
    await page.goto(`${lan}/login`);
    await expect(page.locator('#insecure').isVisible()).resolves.toBe(true);
    await signIn(page);
    await page.waitForURL(`${lan}/login`);
    await page.goto(`${server.url}/login`);
    await expect(page.locator('#insecure').isVisible()).resolves.toBe(false);
    await page.close();
  });

  it('a change made with the cookie from another site is refused; bearer-token calls are unaffected', async () => {
    const cookie = (await loginCookie(server.url, new URL(server.url).host)).split(';')[0]!;
    const evil = { cookie, origin: 'https://evil.example.com' };
    const { json: other } = await get(`${server.url}/api/disputes?provider=paypal`, adminHeaders());
    const target = other.disputes[0].id;
    expect((await fetch(`${server.url}/api/disputes/${target}/accept`, { method: 'POST', headers: evil })).status).toBe(403);
    expect((await fetch(`${server.url}/disputes/${target}/accept`, { method: 'POST', headers: evil, redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${server.url}/admin/queues/api/queues/events/pause`, { method: 'PUT', headers: evil })).status).toBe(403);
    expect((await fetch(`${server.url}/api/disputes/${target}`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { cookie } })).status).toBe(200);
    // The bearer token needs no origin: scripts and the CLI are not browsers.
    const accepted = await fetch(`${server.url}/api/disputes/${target}/accept`, { method: 'POST', headers: { ...adminHeaders(), origin: 'https://evil.example.com' } });
    expect(accepted.status).not.toBe(403);
  });

  it('staff fill in missing tracking from the dispute page and the evidence is gathered again', async () => {
    const id = await insertDispute(db, {
      provider: 'square',
      provider_dispute_id: 'sq-dashboard-no-tracking',
      provider_payment_id: 'Bdq4B6Rq1JFbx7JT8vN2mSmcWYbZY',
      amount_value: 6350,
      reason: 'product_not_received',
    });
    const page = await browser.newPage();
    await page.goto(`${server.url}/disputes/${id}`);
    await signIn(page);
    await page.waitForURL(`${server.url}/disputes/${id}`);
    const before = (await page.locator('#packet-h').textContent())!;
    await expect(page.locator('main').textContent()).resolves.toMatch(/tracking number/);

    await page.getByText('Record a shipment').click();
    await page.getByLabel('Carrier').fill('Royal Mail');
    await page.getByLabel('Tracking number').fill('RM123456785GB');
    await page.getByLabel('Shipped on').fill('2026-10-29');
    await page.getByLabel('Delivered on').fill('2026-11-02');
    await page.locator('#shipStatus').selectOption('delivered');
    await page.getByRole('button', { name: 'Save shipment' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/Shipment saved/);
    await waitFor(async () => {
      await page.reload();
      return /Tracking number RM123456785GB \(Royal Mail\)/.test((await page.locator('main').textContent()) ?? '');
    }, 20_000, 'the packet to include the new tracking');
    const percent = (text: string) => Number(/(\d+)%/.exec(text)?.[1] ?? 0);
    expect(percent((await page.locator('#packet-h').textContent())!)).toBeGreaterThan(percent(before));
    await page.close();
  });
  it('the list shows what needs action by default, soonest deadline first; closed disputes are under their own filter, with their outcome', async () => {
    await insertDispute(db, { provider_dispute_id: 'du_closed_won', status: 'won', provider_status: 'won', outcome: 'won', due_by: new Date(Date.now() - 40 * HOUR), closed_at: new Date(Date.now() - HOUR), evidence_completeness: 0.2, evidence_missing: JSON.stringify(['tracking_number', 'delivery_confirmation']) });
    await insertDispute(db, { provider_dispute_id: 'du_closed_lost', status: 'lost', provider_status: 'lost', outcome: 'lost', due_by: new Date(Date.now() - 80 * HOUR), closed_at: new Date(Date.now() - 30 * HOUR) });
    await insertDispute(db, { provider_dispute_id: 'du_under_review', status: 'under_review', provider_status: 'under_review', due_by: new Date(Date.now() - 60 * HOUR) });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${server.url}/`);
    await signIn(page);
    await page.waitForURL(`${server.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Disputes: needs action');
    const shown = await page.locator('tbody tr').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown) expect(row).not.toMatch(/du_closed_won|du_closed_lost|du_under_review/);
    const firstRow = shown[0]!;
    expect(firstRow).toMatch(/overdue/); // the soonest deadline comes first

    await page.getByLabel('Show').selectOption('closed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/show=closed/);
    const closed = await page.locator('tbody tr').allTextContents();
    expect(closed).toEqual([expect.stringMatching(/closed .*du_closed_won.*won/s), expect.stringMatching(/closed .*du_closed_lost.*lost/s)]);
    for (const row of closed) expect(row).not.toMatch(/missing|%/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'disputes-closed.png'), fullPage: true });

    await page.getByLabel('Show').selectOption('open');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/show=open/);
    const open = (await page.locator('tbody tr').allTextContents()).join('\n');
    expect(open).toContain('du_under_review');
    expect(open).not.toMatch(/du_closed_/);
    await page.close();
  });
});
