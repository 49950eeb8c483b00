import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createDb, type Db } from '../../src/db/pool';
import { fixtureShiftMs, INSIGHTS_FIXTURE, loadInsightsFixture } from '../support/insights';
import { ADMIN_TOKEN, createTestDatabase, queuePrefix } from '../support/services';
import { ROOT, spawnServer, type SpawnedServer } from '../support/spawn-server';

const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** How many pixels of a canvas something was drawn on (not transparent). */
const paintedPixels = (page: Page, id: string) =>
  // A browser canvas: the tests compile without DOM types.
  page.locator(`#${id}`).evaluate((canvas: any) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height) as { data: Uint8ClampedArray };
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });

/** The numbers a chart was given, read back from Chart.js itself. */
const chartData = (page: Page, id: string) =>
  page.locator(`#${id}`).evaluate((canvas) => {
    type Charts = { Chart: { getChart(c: unknown): { data: { labels: string[]; datasets: Array<{ label: string; data: Array<number | null> }> } } } };
    const chart = (canvas.ownerDocument.defaultView as unknown as Charts).Chart.getChart(canvas);
    return { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
  });

describe('the Insights page in a real browser', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let server: SpawnedServer;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, { max: 2 });
    await loadInsightsFixture(db, fixtureShiftMs());
    server = await spawnServer({ DATABASE_URL: database.url, QUEUE_PREFIX: queuePrefix('insights'), DISPUTE_FEES: INSIGHTS_FIXTURE.fees, LOG_LEVEL: 'warn' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db?.destroy();
    await database.drop();
  });

  it('draws the three charts from the figures, under the CSP, with the numbers as tables beside them', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    // From here on, nothing may fail: a CSP refusal or a script error shows in the console.
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Insights' }).click();
    await page.waitForURL(`${server.url}/insights`);
    await page.waitForFunction("window.Chart && ['chart-reason', 'chart-monthly', 'chart-completeness'].every((id) => Chart.getChart(document.getElementById(id)))");

    expect(await chartData(page, 'chart-reason')).toEqual({
      labels: ['fraud', 'general', 'product not received', 'product unacceptable'],
      datasets: [
        { label: 'paypal', data: [null, null, 100, 0] },
        { label: 'stripe', data: [33.3, null, 100, null] },
      ],
    });
    expect(await chartData(page, 'chart-completeness')).toEqual({
      labels: ['0-25%', '25-50%', '50-75%', '75-100%'],
      datasets: [{ label: 'win rate', data: [0, null, 66.7, 100] }],
    });
    const monthly = await chartData(page, 'chart-monthly');
    expect(monthly.datasets.map((d) => d.label)).toEqual(['disputes opened', 'recovered (EUR)', 'recovered (JPY)', 'recovered (USD)']);
    const total = (label: string) => monthly.datasets.find((d) => d.label === label)!.data.reduce<number>((s, v) => s + (v ?? 0), 0);
    expect([total('disputes opened'), total('recovered (EUR)'), total('recovered (JPY)'), total('recovered (USD)')]).toEqual([12, 20, 12000, 60]);
    for (const id of ['chart-reason', 'chart-monthly', 'chart-completeness']) expect(await paintedPixels(page, id)).toBeGreaterThan(2000);

    // The same numbers for screen readers (and anyone), as tables.
    const rows = async (table: string) => page.locator(`#${table} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
    expect(await rows('table-money')).toEqual([
      ['EUR', '4 · €170.00', '1 · €80.00', '1 · €60.00', '1 · €10.00', '1 · €20.00', '0 · €0.00', '€60.00', '€20.00'],
      ['JPY', '2 · ¥15,000', '1 · ¥12,000', '0 · ¥0', '0 · ¥0', '1 · ¥3,000', '1 · ¥3,000', '¥0', '¥12,000'],
      ['USD', '6 · $260.00', '2 · $150.00', '2 · $65.00', '1 · $30.00', '1 · $15.00', '1 · $40.00', '$90.00', '$60.00'],
    ]);
    expect(await rows('table-completeness')).toEqual([
      ['0-25%', '0', '1', '0%'],
      ['25-50%', '0', '0', '—'],
      ['50-75%', '2', '1', '66.7%'],
      ['75-100%', '2', '0', '100%'],
    ]);
    expect((await rows('table-reason')).find((r) => r[0] === 'fraud' && r[1] === 'stripe')).toEqual(['fraud', 'stripe', '1', '2', '0', '33.3%']);
    await expect(page.locator('#median-hours').textContent()).resolves.toBe('24 h');
    await expect(page.locator('#on-time').textContent()).resolves.toBe('81.8%');
    await expect(page.getByRole('img', { name: 'Win rate by reason' }).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'insights.png'), fullPage: true });
    expect(problems).toEqual([]);

    // The CSV link carries the same range.
    const csv = await page.request.get((await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!.replace(/^/, server.url));
    expect([csv.status(), (await csv.text()).trimEnd().split('\r\n').length]).toEqual([200, 13]);
    await page.close();
  });

  it('a bad range is explained on the page with 400, naming the field', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    const answer = await page.goto(`${server.url}/insights?from=2026-11-30&to=2026-11-01`);
    expect(answer?.status()).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toBe('from must not be after to (2026-11-01).');
    await page.close();
  });
});
