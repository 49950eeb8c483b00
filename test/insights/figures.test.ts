import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config';
import { createDb, type Db } from '../../src/db/pool';
import { CSV_COLUMNS } from '../../src/insights/csv';
import { winRate } from '../../src/insights/model';
import { get } from '../support/http';
import { fixtureShiftMs, INSIGHTS_FIXTURE, loadInsightsFixture, shiftedDay } from '../support/insights';
import { adminHeaders, createTestDatabase, REDIS_URL, startTestReceiver, testConfig, type TestReceiver } from '../support/services';
import { ROOT } from '../support/spawn-server';

const run = promisify(execFile);
const DAY_MS = 86_400_000;

/**
 * The figures fixtures/insights/disputes.json must give, as README "Insights" defines them, with
 * DISPUTE_FEES=stripe=15.00 USD,paypal=15.00 EUR,square=0 USD.
 */
const EXPECTED_CURRENCIES = [
  {
    currency: 'EUR',
    disputed: { count: 4, amount: 17000 },
    won: { count: 1, amount: 8000 },
    lost: { count: 1, amount: 6000 },
    accepted: { count: 1, amount: 1000 },
    open: { count: 1, amount: 2000 },
    expired: { count: 0, amount: 0 },
    fees: { amount: 6000 }, // 4 PayPal chargebacks × €15; the two inquiries cost nothing
    recovered: { amount: 2000 },
  },
  {
    currency: 'JPY',
    disputed: { count: 2, amount: 15000 },
    won: { count: 1, amount: 12000 },
    lost: { count: 0, amount: 0 },
    accepted: { count: 0, amount: 0 },
    open: { count: 1, amount: 3000 },
    expired: { count: 1, amount: 3000 },
    fees: { amount: 0 },
    recovered: { amount: 12000 },
  },
  {
    currency: 'USD',
    disputed: { count: 6, amount: 26000 },
    won: { count: 2, amount: 15000 },
    lost: { count: 2, amount: 6500 },
    accepted: { count: 1, amount: 3000 },
    open: { count: 1, amount: 1500 },
    expired: { count: 1, amount: 4000 },
    fees: { amount: 9000 }, // 6 Stripe disputes × $15, the one in yen included: the fee is in dollars
    recovered: { amount: 6000 },
  },
];
const EXPECTED_BY_REASON = [
  { reason: 'fraud', provider: 'paypal', won: 0, lost: 0, accepted: 0, winRate: null },
  { reason: 'fraud', provider: 'stripe', won: 1, lost: 2, accepted: 0, winRate: 0.3333 },
  { reason: 'general', provider: 'paypal', won: 0, lost: 0, accepted: 1, winRate: null },
  { reason: 'product_not_received', provider: 'paypal', won: 1, lost: 0, accepted: 0, winRate: 1 },
  { reason: 'product_not_received', provider: 'stripe', won: 2, lost: 0, accepted: 0, winRate: 1 },
  { reason: 'product_unacceptable', provider: 'paypal', won: 0, lost: 1, accepted: 0, winRate: 0 },
  { reason: 'product_unacceptable', provider: 'stripe', won: 0, lost: 0, accepted: 1, winRate: null },
];
const EXPECTED_BY_COMPLETENESS = [
  { bucket: '0-25', won: 0, lost: 1, winRate: 0 },
  { bucket: '25-50', won: 0, lost: 0, winRate: null },
  { bucket: '50-75', won: 2, lost: 1, winRate: 0.6667 },
  { bucket: '75-100', won: 2, lost: 0, winRate: 1 },
];
// Responses after 2, 6, 12, 24, 24, 36, 48, 72 and 96 h, all before their deadline; two expired.
const EXPECTED_RESPONSE_TIME = { medianHours: 24, onTimeRate: 0.8182 };

describe('win rate', () => {
  it('is won / (won + lost), null when nothing was decided, and takes no accepted count at all', () => {
    expect([winRate(1, 2), winRate(2, 1), winRate(3, 0), winRate(0, 4), winRate(0, 0)]).toEqual([0.3333, 0.6667, 1, 0, null]);
  });
});

describe('insights over disputes with known outcomes (fixtures/insights/disputes.json)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let receiver: TestReceiver;
  const shift = fixtureShiftMs();
  const today = shiftedDay(INSIGHTS_FIXTURE.anchor, shift);
  const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
  const insights = (query = '') => get(`${receiver.url}/api/insights${query}`, adminHeaders());

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, { max: 2 });
    await loadInsightsFixture(db, shift);
    receiver = await startTestReceiver(testConfig(database.url, { DISPUTE_FEES: INSIGHTS_FIXTURE.fees, LOG_LEVEL: 'warn' }));
  });
  afterAll(async () => {
    await receiver?.stop();
    await db?.destroy();
    await database.drop();
  });

  it('the API gives the documented figures for the last 90 days by default, the 120-day-old dispute left out', async () => {
    const { status, json } = await insights();
    expect(status).toBe(200);
    expect(json).toEqual({
      from: daysAgo(89),
      to: today,
      currencies: EXPECTED_CURRENCIES,
      byReason: EXPECTED_BY_REASON,
      byCompleteness: EXPECTED_BY_COMPLETENESS,
      responseTime: EXPECTED_RESPONSE_TIME,
    });
  });

  it('an explicit range gives the same figures, and a range reaching back 120 days adds the old win', async () => {
    expect((await insights(`?from=${daysAgo(89)}&to=${today}`)).json.currencies).toEqual(EXPECTED_CURRENCIES);
    const longer = (await insights(`?from=${daysAgo(200)}&to=${today}`)).json;
    expect(longer.currencies.find((c: { currency: string }) => c.currency === 'USD')).toMatchObject({
      disputed: { count: 7, amount: 125999 },
      won: { count: 3, amount: 114999 },
      fees: { amount: 10500 },
      recovered: { amount: 104499 },
    });
  });

  it('one provider: only its disputes and its fees', async () => {
    const { json } = await insights('?provider=paypal');
    expect(json.currencies).toEqual([
      EXPECTED_CURRENCIES[0],
      { ...zero('JPY'), disputed: { count: 1, amount: 3000 }, open: { count: 1, amount: 3000 }, expired: { count: 1, amount: 3000 } },
      { ...zero('USD'), disputed: { count: 1, amount: 1500 }, open: { count: 1, amount: 1500 } },
    ]);
    expect(json.byReason.map((r: { provider: string }) => r.provider)).toEqual(['paypal', 'paypal', 'paypal', 'paypal']);
  });

  it('accepted disputes do not lower the win rate: accepting more leaves every rate as it was', async () => {
    const before = (await insights()).json;
    const accepted = INSIGHTS_FIXTURE.disputes
      .filter((d) => d.status === 'accepted')
      .map((d) => ({ ...d, providerDisputeId: `${d.providerDisputeId}-again`, reason: 'fraud' }));
    await loadInsightsFixture(db, shift, accepted);
    try {
      const after = (await insights()).json;
      const rates = (x: typeof before) => [x.byReason.map((r: { winRate: number | null }) => r.winRate), x.byCompleteness.map((b: { winRate: number | null }) => b.winRate)];
      expect(rates(after)).toEqual(rates(before));
      const fraudStripe = (x: typeof before) => x.byReason.find((r: { reason: string; provider: string }) => r.reason === 'fraud' && r.provider === 'stripe');
      expect([fraudStripe(before), fraudStripe(after)]).toEqual([
        { reason: 'fraud', provider: 'stripe', won: 1, lost: 2, accepted: 0, winRate: 0.3333 },
        { reason: 'fraud', provider: 'stripe', won: 1, lost: 2, accepted: 1, winRate: 0.3333 },
      ]);
    } finally {
      const ids = accepted.map((d) => d.providerDisputeId);
      const doomed = db.selectFrom('disputes').select('id').where('provider_dispute_id', 'in', ids);
      await db.deleteFrom('packets').where('dispute_id', 'in', doomed).execute();
      await db.deleteFrom('submissions').where('dispute_id', 'in', doomed).execute();
      await db.deleteFrom('disputes').where('provider_dispute_id', 'in', ids).execute();
    }
  });

  it.each([
    ['?from=2026-13-01', 'from'],
    ['?to=yesterday', 'to'],
    ['?from=2026-02-30', 'from'],
    [`?from=${today}&to=${daysAgo(1)}`, 'from'],
    ['?provider=adyen', 'provider'],
  ])('%s is refused with 400 naming %s', async (query, parameter) => {
    const { status, json } = await insights(query);
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: 'invalid_request', details: [{ path: parameter }] });
    expect((await get(`${receiver.url}/api/insights.csv${query}`, adminHeaders())).status).toBe(400);
  });

  it('needs the admin token', async () => {
    expect((await get(`${receiver.url}/api/insights`)).status).toBe(401);
    expect((await get(`${receiver.url}/api/insights.csv`)).status).toBe(401);
  });

  it('the CSV has a header and one line per dispute in the range, whose sums are the API figures', async () => {
    const { status, text, headers } = await get(`${receiver.url}/api/insights.csv`, adminHeaders());
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe(CSV_COLUMNS.join(','));
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [CSV_COLUMNS[i], v])));
    expect(rows).toHaveLength(12);

    const byId = Object.fromEntries(rows.map((r) => [r.provider_dispute_id, r]));
    const shifted = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
    const won = INSIGHTS_FIXTURE.disputes[0]!;
    expect(byId['du_1QinsWonFraud0001']).toMatchObject({
      provider: 'stripe',
      provider_payment_id: 'ch_3QinsWonFraud0001',
      order_id: 'order-20001',
      reason: 'fraud',
      stage: 'chargeback',
      amount: '100.00',
      currency: 'USD',
      fee: '15.00',
      fee_currency: 'USD',
      opened_at: shifted(won.openedAt),
      due_by: shifted(won.dueBy),
      responded_at: shifted(won.submissions[0]!.sentAt!),
      outcome: 'won',
      expired: 'false',
      completeness_at_submission: '0.9',
    });
    expect(byId['du_1QinsLostFraud003']).toMatchObject({ outcome: 'lost', completeness_at_submission: '0.2' });
    expect(byId['du_1QinsExpired00005']).toMatchObject({ outcome: 'lost', expired: 'true', responded_at: '', completeness_at_submission: '' });
    expect(byId['du_1QinsWonJpy000006']).toMatchObject({ amount: '12000', currency: 'JPY', fee: '15.00', fee_currency: 'USD' });
    expect(byId['PP-D-INS-0010']).toMatchObject({ stage: 'inquiry', fee: '0', fee_currency: '', outcome: 'open', expired: 'false' });
    expect(byId['PP-D-INS-0011']).toMatchObject({ outcome: 'accepted', completeness_at_submission: '' });
    expect(byId['PP-D-INS-0012']).toMatchObject({ outcome: 'open', expired: 'true' });
    expect(rows.map((r) => r.opened_at)).toEqual([...rows.map((r) => r.opened_at)].sort());

    // The API's figures are the CSV's rows added up.
    const { json } = await insights();
    for (const figures of json.currencies as typeof EXPECTED_CURRENCIES) {
      const mine = rows.filter((r) => r.currency === figures.currency);
      const minor = (r: Record<string, string>) => Number(r.amount!.replace('.', ''));
      const sum = (rs: typeof rows) => ({ count: rs.length, amount: rs.reduce((s, r) => s + minor(r), 0) });
      expect({
        disputed: sum(mine),
        won: sum(mine.filter((r) => r.outcome === 'won')),
        lost: sum(mine.filter((r) => r.outcome === 'lost')),
        accepted: sum(mine.filter((r) => r.outcome === 'accepted')),
        open: sum(mine.filter((r) => r.outcome === 'open')),
        expired: sum(mine.filter((r) => r.expired === 'true')),
        fees: rows.filter((r) => r.fee_currency === figures.currency).reduce((s, r) => s + Number(r.fee!.replace('.', '')), 0),
      }).toEqual({ ...figures, currency: undefined, recovered: undefined, fees: figures.fees.amount });
    }
  });

  it('`rebuttal report` prints the same figures as terminal tables', async () => {
    const { stdout } = await run('node', [path.join(ROOT, 'bin/rebuttal.cjs'), 'report'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, REDIS_URL, DISPUTE_FEES: INSIGHTS_FIXTURE.fees },
    });
    const lines = stdout.trimEnd().split('\n');
    const cells = (line: string) => line.trim().split(/ {2,}/);
    const after = (heading: RegExp) => lines.slice(lines.findIndex((l) => heading.test(l)) + 1);
    expect(lines[0]).toBe(`Disputes opened ${daysAgo(89)} to ${today}, all providers (amounts per currency, never added across)`);
    expect(after(/^Disputes opened/).slice(1, 5).map(cells)).toEqual([
      ['currency', 'disputed', 'won', 'lost', 'accepted', 'open', 'expired', 'fees', 'recovered'],
      ['EUR', '4 €170.00', '1 €80.00', '1 €60.00', '1 €10.00', '1 €20.00', '0 €0.00', '€60.00', '€20.00'],
      ['JPY', '2 ¥15,000', '1 ¥12,000', '0 ¥0', '0 ¥0', '1 ¥3,000', '1 ¥3,000', '¥0', '¥12,000'],
      ['USD', '6 $260.00', '2 $150.00', '2 $65.00', '1 $30.00', '1 $15.00', '1 $40.00', '$90.00', '$60.00'],
    ]);
    expect(after(/^Win rate by reason/).slice(1, 9).map(cells)).toEqual([
      ['reason', 'provider', 'won', 'lost', 'accepted', 'win rate'],
      ['fraud', 'paypal', '0', '0', '0', '-'],
      ['fraud', 'stripe', '1', '2', '0', '33.3%'],
      ['general', 'paypal', '0', '0', '1', '-'],
      ['product_not_received', 'paypal', '1', '0', '0', '100%'],
      ['product_not_received', 'stripe', '2', '0', '0', '100%'],
      ['product_unacceptable', 'paypal', '0', '1', '0', '0%'],
      ['product_unacceptable', 'stripe', '0', '0', '1', '-'],
    ]);
    expect(after(/^Win rate by evidence completeness/).slice(1, 6).map(cells)).toEqual([
      ['completeness', 'won', 'lost', 'win rate'],
      ['0-25%', '0', '1', '0%'],
      ['25-50%', '0', '0', '-'],
      ['50-75%', '2', '1', '66.7%'],
      ['75-100%', '2', '0', '100%'],
    ]);
    expect(lines.at(-1)).toBe('Response time: median 24 h from opening; answered before the deadline 81.8%');
  });

  it('`rebuttal report --provider` and a bad option: one line naming the option, exit 1', async () => {
    const cli = (...args: string[]) =>
      run('node', [path.join(ROOT, 'bin/rebuttal.cjs'), 'report', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, DATABASE_URL: database.url, REDIS_URL },
      });
    const { stdout } = await cli('--provider', 'stripe', '--from', daysAgo(30), '--to', today);
    expect(stdout.split('\n')[0]).toBe(`Disputes opened ${daysAgo(30)} to ${today}, stripe (amounts per currency, never added across)`);
    await expect(cli('--from', '25/11/2026')).rejects.toMatchObject({ code: 1, stderr: 'rebuttal: --from must be an ISO date such as 2026-11-25\n' });
    await expect(cli('--provider', 'adyen')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^rebuttal: --provider must be one of stripe, paypal, square\n$/) });
  });
});

function zero(currency: string) {
  const none = { count: 0, amount: 0 };
  return { currency, disputed: none, won: none, lost: none, accepted: none, open: none, expired: none, fees: { amount: 0 }, recovered: { amount: 0 } };
}

describe('DISPUTE_FEES', () => {
  it('reads each provider\'s fee as minor units of its currency; unset means the providers\' usual fees', () => {
    expect(loadConfig({ DISPUTE_FEES: 'stripe=15.00 USD, paypal=20 eur,square=0 USD' }).resolution.disputeFees).toEqual({
      stripe: { value: 1500, currency: 'USD' },
      paypal: { value: 2000, currency: 'EUR' },
      square: { value: 0, currency: 'USD' },
    });
    expect(loadConfig({}).resolution.disputeFees).toEqual({
      stripe: { value: 1500, currency: 'USD' },
      paypal: { value: 2000, currency: 'USD' },
      square: { value: 0, currency: 'USD' },
    });
  });

  it.each(['stripe=15.00', 'adyen=1.00 USD', 'stripe=15.001 USD', 'stripe=15 XXQ', 'stripe=-1 USD'])('refuses %s naming the variable', (value) => {
    expect(() => loadConfig({ DISPUTE_FEES: value })).toThrow(/^Invalid setting DISPUTE_FEES: /);
  });
});
