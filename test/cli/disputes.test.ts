import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { timeLeft } from '../../src/cli/disputes';
import { createDb, type Db } from '../../src/db/pool';
import type { Provider } from '../../src/db/schema';
import { createTestDatabase, REDIS_URL } from '../support/services';
import { ROOT } from '../support/spawn-server';

const run = promisify(execFile);
const HOUR = 3_600_000;

describe('time left to answer a dispute', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('counts hours under two days, days beyond, and how long a deadline is past', () => {
    expect(timeLeft({ status: 'needs_response', dueBy: at(5 * HOUR) }, now)).toBe('5h left');
    expect(timeLeft({ status: 'needs_response', dueBy: at(47 * HOUR) }, now)).toBe('47h left');
    expect(timeLeft({ status: 'under_review', dueBy: at(72 * HOUR) }, now)).toBe('3d left');
    expect(timeLeft({ status: 'needs_response', dueBy: at(-30 * HOUR) }, now)).toBe('overdue 30h');
    expect(timeLeft({ status: 'needs_response', dueBy: null }, now)).toBe('no deadline');
  });

  it('has nothing left to count once the dispute is over', () => {
    for (const status of ['won', 'lost', 'accepted', 'closed'] as const) expect(timeLeft({ status, dueBy: at(-300 * HOUR) }, now)).toBe('-');
  });
});

describe('rebuttal disputes, on disputes already recorded', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  const rebuttal = async (...args: string[]) => {
    const { stdout } = await run('node', [path.join(ROOT, 'bin/rebuttal.cjs'), 'disputes', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, REDIS_URL },
    });
    return stdout.trim().split('\n');
  };

  const insert = (id: string, provider: Provider, fields: { status: string; stage?: string; dueInHours: number | null; value: number; currency: string; reason?: string }) =>
    db
      .insertInto('disputes')
      .values({
        provider,
        provider_dispute_id: id,
        amount_value: fields.value,
        amount_currency: fields.currency,
        reason: fields.reason ?? 'fraud',
        status: fields.status,
        stage: fields.stage ?? 'chargeback',
        due_by: fields.dueInHours === null ? null : new Date(Date.now() + fields.dueInHours * HOUR),
        opened_at: new Date(Date.now() - 100 * HOUR),
        updated_at: new Date(),
        evidence_completeness: 0.5,
      })
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, { max: 2 });
    await insert('du_due_soon', 'stripe', { status: 'needs_response', dueInHours: 20, value: 4599, currency: 'USD', reason: 'product_not_received' });
    await insert('PP-D-due-later', 'paypal', { status: 'needs_response', stage: 'inquiry', dueInHours: 240, value: 5000, currency: 'JPY' });
    await insert('du_overdue', 'stripe', { status: 'needs_response', dueInHours: -5, value: 12345, currency: 'KWD' });
    await insert('du_won_long_ago', 'stripe', { status: 'won', dueInHours: -400, value: 2500, currency: 'USD' });
    await insert('sq_under_review', 'square', { status: 'under_review', dueInHours: 60, value: 999, currency: 'EUR' });
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('lists every dispute, soonest deadline first, with what matters to staff', async () => {
    const lines = await rebuttal();
    expect(lines[0]).toMatch(/^due +provider +amount +reason +status +stage +evidence +id$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(0, 7))).toEqual([
      ['-', 'stripe', '$25.00', 'fraud', 'won', 'chargeback', '50%'],
      ['overdue 5h', 'stripe', 'KWD\u00a012.345', 'fraud', 'needs_response', 'chargeback', '50%'],
      ['20h left', 'stripe', '$45.99', 'product_not_received', 'needs_response', 'chargeback', '50%'],
      ['3d left', 'square', '€9.99', 'fraud', 'under_review', 'chargeback', '50%'],
      ['10d left', 'paypal', '¥5,000', 'fraud', 'needs_response', 'inquiry', '50%'],
    ]);
  });

  it('--due-within keeps the open disputes due by then, overdue ones included; --status and --provider narrow', async () => {
    const [within72h, won, stripeOpen, none] = await Promise.all([
      rebuttal('--due-within', '72h'),
      rebuttal('--status', 'won'),
      rebuttal('--provider', 'stripe', '--status', 'needs_response'),
      rebuttal('--provider', 'paypal', '--due-within', '1h'),
    ]);
    expect(within72h.slice(1).map((l) => l.split(/ {2,}/)[0])).toEqual(['overdue 5h', '20h left', '3d left']);
    expect(won).toHaveLength(2);
    expect(won[1]).toMatch(/^- +stripe +\$25\.00 +fraud +won/);
    expect(stripeOpen.slice(1).map((l) => l.split(/ {2,}/)[0])).toEqual(['overdue 5h', '20h left']);
    expect(none).toEqual(['no disputes']);
  });
});
