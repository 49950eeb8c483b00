import type { Dispute } from '../../disputes/model';
import { formatMoney } from '../../money';
import type { Submission } from '../../submission/model';
import { html, type SafeHtml } from './html';

/** `product_not_received` → `product not received`. */
export const words = (s: string) => s.replace(/_/g, ' ');

export const amountOf = (d: Dispute) => (d.amount ? formatMoney(d.amount) : '—');

export const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

export type Urgency = '' | 'soon' | 'overdue';

const HOUR = 3_600_000;

/** "19 days 3 h left", "5 h 12 min left", "overdue by 2 h 0 min"; soon = under 24 h. */
export function timeLeft(dueBy: string | null, now: Date): { text: string; urgency: Urgency } {
  if (!dueBy) return { text: 'no deadline', urgency: '' };
  const ms = Date.parse(dueBy) - now.getTime();
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / HOUR);
  const span = hours >= 48 ? `${Math.floor(hours / 24)} days ${hours % 24} h` : `${hours} h ${Math.floor((abs % HOUR) / 60_000)} min`;
  if (ms < 0) return { text: `overdue by ${span}`, urgency: 'overdue' };
  return { text: `${span} left`, urgency: ms < 24 * HOUR ? 'soon' : '' };
}

/** An instant as staff read it, in UTC, with the exact value for machines and screen readers. */
export function instant(iso: string | null | undefined): SafeHtml {
  if (!iso) return html`—`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`${iso}`;
  return html`<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/**
 * What staff need to know about where a dispute stands: the canonical status, except that a
 * response already sent (or on its way) reads as such until the provider moves the status on.
 */
const PENDING_WORDS: Record<Submission['kind'], string> = {
  submit: 'submitting evidence',
  accept: 'accepting',
  offer: 'sending an offer',
  message: 'writing to the buyer',
  refund: 'refunding',
};

export function staffStatus(d: Dispute, submissions: Submission[] = []): string {
  if (d.status !== 'needs_response') return words(d.status);
  const pending = submissions.find((s) => s.status === 'queued' || s.status === 'sending');
  if (pending) return PENDING_WORDS[pending.kind];
  // An offer or message sent leaves the dispute open: only evidence or an acceptance answers it.
  const sent = submissions.find((s) => s.status === 'sent' && (s.kind === 'submit' || s.kind === 'accept'));
  if (sent?.kind === 'accept') return 'accepted, awaiting provider';
  if (d.evidence.submittedAt || sent) return 'evidence submitted';
  return 'needs response';
}
