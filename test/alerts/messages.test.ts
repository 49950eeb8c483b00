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

  it('a late threshold job is superseded by a more urgent one that has also passed', () => {
    const dueBy = new Date(now.getTime() + 5 * H);
    expect(supersededBy(72 * H, dueBy, thresholds, now)).toBe(6 * H);
    expect(supersededBy(6 * H, dueBy, thresholds, now)).toBeUndefined();
  });
});

describe('alert content', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const settings = { publicUrl: 'https://disputes.example.com', timezone: 'Asia/Tokyo' };

  it.each([
    [{ value: 4599, currency: 'USD' }, '$45.99'],
    [{ value: 5000, currency: 'JPY' }, '¥5,000'],
    [{ value: 1234, currency: 'KWD' }, 'KWD\u00a01.234'],
  ])('formats %j as %s', (amount, shown) => {
    const message = buildAlertMessage('opened', disputeFor('stripe', 'fraud', { amount }), settings, now);
    expect(message.subject).toContain(JSON.parse(`"${shown}"`));
    expect(message.lines[0]).toContain(JSON.parse(`"${shown}"`));
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
