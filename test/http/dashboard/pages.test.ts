import type { Dispute } from '../../../src/disputes/model';
import { instant, staffStatus, timeLeft } from '../../../src/http/dashboard/format';
import { html, raw } from '../../../src/http/dashboard/html';
import { disputePage, whyNotAnswerable } from '../../../src/http/dashboard/dispute-page';
import { disputesPage, eventsPage, loginPage } from '../../../src/http/dashboard/pages';
import type { Submission } from '../../../src/submission/model';

const NOW = new Date('2026-11-20T12:00:00Z');
const HOSTILE = `<script>alert("x")</script>' onmouseover='x`;

/** A dispute as the repository returns it (the canonical shape of CONTRACT.md). */
function dispute(overrides: Partial<Dispute> = {}): Dispute {
  return {
    id: '7e07528b-3cfa-4c61-9a29-ce169991fe30',
    provider: 'stripe',
    providerDisputeId: 'du_1QkZr9LzW8xYp1Aa5bHc2mPq',
    providerPaymentId: 'ch_3QkZq2LzW8xYp1Aa0n4dR7sT',
    orderId: null,
    amount: { value: 4599, currency: 'USD' },
    reason: 'product_not_received',
    providerReason: 'product_not_received',
    status: 'needs_response',
    providerStatus: 'needs_response',
    stage: 'chargeback',
    dueBy: '2026-12-01T00:00:00.000Z',
    openedAt: '2026-11-15T09:00:00.000Z',
    updatedAt: '2026-11-15T09:00:00.000Z',
    closedAt: null,
    outcome: null,
    evidence: { completeness: 0.6, missing: ['proof_of_delivery'], submittedAt: null },
    ...overrides,
  };
}

function submission(overrides: Partial<Submission>): Submission {
  return {
    id: 'b0f5c7a2-1111-4c61-9a29-ce169991fe30',
    disputeId: dispute().id,
    warningId: null,
    kind: 'submit',
    request: {},
    status: 'queued',
    requestedBy: 'staff',
    attempts: 0,
    providerAnswers: [],
    error: null,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    sentAt: null,
    ...overrides,
  };
}

describe('the html template tag', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    expect(html`<a title="${HOSTILE}">${HOSTILE}</a>`.value).toBe(
      '<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</a>',
    );
  });

  it('keeps nested templates and raw markup as they are, and renders nothing for null, undefined and false', () => {
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${undefined}${false}${raw('<hr>')}`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul><hr>');
  });
});

describe('deadlines as staff read them', () => {
  it('counts days far out, hours and minutes within two days, and marks under 24 h as soon', () => {
    expect(timeLeft('2026-12-01T00:00:00Z', NOW)).toEqual({ text: '10 days 12 h left', urgency: '' });
    expect(timeLeft('2026-11-21T13:30:00Z', NOW)).toEqual({ text: '25 h 30 min left', urgency: '' });
    expect(timeLeft('2026-11-20T17:05:00Z', NOW)).toEqual({ text: '5 h 5 min left', urgency: 'soon' });
  });

  it('says how long ago a passed deadline was, and that there is none when unknown', () => {
    expect(timeLeft('2026-11-20T10:00:00Z', NOW)).toEqual({ text: 'overdue by 2 h 0 min', urgency: 'overdue' });
    expect(timeLeft(null, NOW)).toEqual({ text: 'no deadline', urgency: '' });
  });

  it('shows instants in UTC to the minute, with the exact value in the time element', () => {
    expect(instant('2026-12-15T01:16:40.000Z').value).toBe('<time datetime="2026-12-15T01:16:40.000Z">2026-12-15 01:16 UTC</time>');
  });
});

describe('where a dispute stands, for staff', () => {
  it('reads as submitting, then submitted, while the provider status still says needs response', () => {
    expect(staffStatus(dispute())).toBe('needs response');
    expect(staffStatus(dispute(), [submission({ status: 'sending' })])).toBe('submitting evidence');
    expect(staffStatus(dispute({ evidence: { completeness: 1, missing: [], submittedAt: NOW.toISOString() } }))).toBe('evidence submitted');
    expect(staffStatus(dispute(), [submission({ kind: 'accept', status: 'sent' })])).toBe('accepted, awaiting provider');
    expect(staffStatus(dispute({ status: 'under_review' }))).toBe('under review');
  });

  it('offers Submit and Accept only when the submit endpoint would take them', () => {
    expect(whyNotAnswerable({ dispute: dispute(), submissions: [] }, NOW)).toBeUndefined();
    expect(whyNotAnswerable({ dispute: dispute(), submissions: [submission({ status: 'failed' })] }, NOW)).toBeUndefined();
    expect(whyNotAnswerable({ dispute: dispute(), submissions: [submission({ status: 'queued' })] }, NOW)).toBe('a submit is already under way');
    expect(whyNotAnswerable({ dispute: dispute({ dueBy: '2026-11-20T11:00:00Z' }), submissions: [] }, NOW)).toBe('the evidence deadline has passed');
    expect(whyNotAnswerable({ dispute: dispute({ status: 'won' }), submissions: [] }, NOW)).toBe('the dispute is won');
  });
});

describe('pages', () => {
  it('escape what providers and merchants wrote', () => {
    const hostile = dispute({ providerDisputeId: HOSTILE, providerReason: HOSTILE, providerStatus: HOSTILE, providerPaymentId: HOSTILE });
    const rendered = [
      disputesPage([hostile], {}, NOW).value,
      disputePage({ dispute: hostile, timeline: [], submissions: [submission({ error: HOSTILE })], alerts: [] }, NOW).value,
      eventsPage([{ id: hostile.id, provider: 'stripe', providerEventId: HOSTILE, type: HOSTILE, receivedAt: NOW.toISOString(), status: 'failed', attempts: 5, lastError: HOSTILE, source: 'webhook' }], {}).value,
      loginPage({ failed: true, next: `/"><script>` }).value,
    ];
    for (const page of rendered) {
      expect(page).not.toContain('<script>');
      expect(page).not.toContain(`' onmouseover='`);
    }
  });

  it('list due disputes with their highlight, answered ones with their deadline and closed ones with their outcome, without a countdown', () => {
    const page = disputesPage(
      [
        dispute({ dueBy: '2026-11-20T10:00:00Z' }),
        dispute({ dueBy: '2026-11-20T20:00:00Z' }),
        dispute({ status: 'under_review', dueBy: '2026-11-01T00:00:00Z' }),
        dispute({ status: 'won', outcome: 'won', dueBy: '2026-11-01T00:00:00Z', closedAt: '2026-11-10T00:00:00Z' }),
      ],
      { show: 'all' },
      NOW,
    ).value;
    expect([...page.matchAll(/<tr class="(\w*)"/g)].map((m) => m[1])).toEqual(['overdue', 'soon', '', 'closed']);
    expect(page).toContain('deadline <time datetime="2026-11-01T00:00:00.000Z">');
    expect(page).toContain('missing proof of delivery');
    const closedRow = page.slice(page.indexOf('<tr class="closed"'));
    expect(closedRow).toContain('closed <time datetime="2026-11-10T00:00:00.000Z">');
    expect(closedRow).toMatch(/<span class="outcome">won/);
    expect(closedRow).not.toContain('missing');
  });

  it('show a Re-drive button for failed events only', () => {
    const event = { id: dispute().id, provider: 'stripe' as const, providerEventId: 'evt_1', type: 'charge.dispute.created', receivedAt: NOW.toISOString(), attempts: 1, lastError: null, source: 'webhook' as const };
    expect(eventsPage([{ ...event, status: 'failed' }], {}).value).toContain('Re-drive');
    expect(eventsPage([{ ...event, status: 'processed' }], {}).value).not.toContain('Re-drive');
  });
});
