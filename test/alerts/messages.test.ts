import fc from 'fast-check';
import { buildAlertMessage } from '../../src/alerts/messages';
import { planThresholds, supersededBy } from '../../src/alerts/schedule';
import { disputeFor } from '../support/merchant';

const H = 3_600_000;
const thresholds = [168 * H, 72 * H, 24 * H, 6 * H];

describe('threshold planning', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('schedules every threshold still ahead, earliest first', () => {
    const plan = planThresholds(new Date(now.getTime() + 200 * H), thresholds, now);
    expect(plan.ahead.map((t) => t.thresholdMs / H)).toEqual([168, 72, 24, 6]);
    expect(plan.catchUp).toBeUndefined();
  });

  it('catches up only the most urgent threshold already passed, not a burst', () => {
    const plan = planThresholds(new Date(now.getTime() + 30 * H), thresholds, now);
    expect(plan.catchUp?.thresholdMs).toBe(72 * H);
    expect(plan.ahead.map((t) => t.thresholdMs / H)).toEqual([24, 6]);
  });

  it('plans nothing once the deadline has passed', () => {
    expect(planThresholds(new Date(now.getTime() - 1), thresholds, now)).toEqual({ ahead: [] });
  });

  it('whatever the thresholds and the clock: at most one catch-up, the most urgent passed; the rest ahead, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 400 * H }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 500 * H }), (raw, leftMs) => {
        const sorted = [...raw].sort((a, b) => b - a);
        const dueBy = new Date(now.getTime() + leftMs);
        const plan = planThresholds(dueBy, sorted, now);
        const passed = sorted.filter((t) => t >= leftMs);
        expect(plan.catchUp?.thresholdMs).toBe(passed.length ? Math.min(...passed) : undefined);
        expect(plan.ahead.map((t) => t.thresholdMs)).toEqual(sorted.filter((t) => t < leftMs));
        for (const t of plan.ahead) expect(t.at.getTime()).toBe(dueBy.getTime() - t.thresholdMs);
      }),
    );
  });

  it('a late threshold job is superseded by a more urgent one that has also passed', () => {
    const dueBy = new Date(now.getTime() + 5 * H);
    expect(supersededBy(72 * H, dueBy, thresholds, now)).toBe(6 * H);
    expect(supersededBy(6 * H, dueBy, thresholds, now)).toBeUndefined();
  });
});

describe('alert content', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const settings = { publicUrl: 'https://disputes.example.com', timezone: 'Asia/Tokyo', displayNames: { stripe: 'Stripe', paypal: 'PayPal', square: 'Square' } };

  it.each([
    [{ value: 4599, currency: 'USD' }, '$45.99'],
    [{ value: 5000, currency: 'JPY' }, '¥5,000'],
    [{ value: 1234, currency: 'KWD' }, 'KWD\u00a01.234'],
  ])('formats %j as %s', (amount, shown) => {
    const message = buildAlertMessage('opened', disputeFor('stripe', 'fraud', { amount }), settings, now);
    expect(message.subject).toContain(JSON.parse(`"${shown}"`));
    expect(message.lines[0]).toContain(JSON.parse(`"${shown}"`));
  });

  it.each([
    ['UTC', 'Evidence due 2026-12-15T14:05:11Z (UTC): 20 days 2 h left.', '15 Dec 2026, 14:05 UTC'],
    ['America/New_York', 'Evidence due 2026-12-15T14:05:11Z (UTC), 15 Dec 2026, 09:05 GMT-5: 20 days 2 h left.', '15 Dec 2026, 09:05 GMT-5'],
    ['Asia/Kolkata', 'Evidence due 2026-12-15T14:05:11Z (UTC), 15 Dec 2026, 19:35 GMT+5:30: 20 days 2 h left.', '15 Dec 2026, 19:35 GMT+5:30'],
  ])('shows the deadline in UTC and in ALERT_TIMEZONE=%s', (timezone, line, local) => {
    const message = buildAlertMessage('opened', disputeFor('stripe', 'fraud'), { ...settings, timezone }, now);
    expect(message.lines[1]).toBe(line);
    expect(message.dispute.dueByLocal).toBe(local);
  });

  it('follows daylight saving time in the local zone', () => {
    const summer = disputeFor('square', 'duplicate', { dueBy: '2026-07-01T16:00:00.000Z' });
    const message = buildAlertMessage('opened', summer, { ...settings, timezone: 'America/New_York' }, now);
    expect(message.dispute.dueByLocal).toBe('1 Jul 2026, 12:00 GMT-4');
  });

  it.each([
    ['2026-11-25T12:00:30.000Z', '1 min'],
    ['2026-11-25T12:45:00.000Z', '45 min'],
    ['2026-11-25T17:30:00.000Z', '5 h 30 min'],
    ['2026-11-25T11:00:00.000Z', 'overdue'],
  ])('time left to a deadline at %s reads "%s"', (dueBy, left) => {
    expect(buildAlertMessage('threshold:3600000', disputeFor('stripe', 'general', { dueBy }), settings, now).dispute.timeLeft).toBe(left);
  });

  it('tells the outcome and a failed submission in the subject', () => {
    const won = disputeFor('stripe', 'fraud', { status: 'won', outcome: 'won' });
    expect(buildAlertMessage('outcome', won, settings, now).subject).toBe('Stripe dispute WON: $45.99');
    expect(buildAlertMessage('submission_failed', disputeFor('paypal', 'fraud'), settings, now).subject).toBe(
      'Evidence submission failed for PayPal dispute paypal-dispute-1 ($45.99)',
    );
  });

  it('carries nothing that looks like a card number', () => {
    const message = buildAlertMessage('opened', disputeFor('stripe', 'fraud'), settings, now);
    expect(JSON.stringify(message)).not.toMatch(/\b\d{13,19}\b/);
  });

  it('says what a busy person needs: reason in words, deadline in UTC and the local zone, time left, evidence, link', () => {
    const dispute = disputeFor('paypal', 'product_not_received', {
      dueBy: '2026-11-28T03:00:00.000Z',
      evidence: { completeness: 0.45, missing: ['proof_of_delivery', 'tracking_number'], submittedAt: null },
    });
    const message = buildAlertMessage('threshold:259200000', dispute, settings, now);
    expect(message.subject).toBe('72h left to answer PayPal dispute: $45.99');
    expect(message.lines).toEqual([
      'PayPal dispute paypal-dispute-1 for $45.99: the customer says the order never arrived.',
      'Evidence due 2026-11-28T03:00:00Z (UTC), 28 Nov 2026, 12:00 GMT+9: 2 days 15 h left.',
      'Evidence 45% complete; missing: proof of delivery, tracking number.',
      'Status: needs response.',
      'Open it: https://disputes.example.com/disputes/6f1c1d2e-0000-4000-8000-000000000001',
    ]);
  });
});
