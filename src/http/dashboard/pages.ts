import type { EventSummary } from '../../db/events';
import { EVENT_STATUSES } from '../../db/schema';
import { PROVIDER_NAMES } from '../../providers';
import { DISPUTE_STATUSES, TERMINAL_STATUSES, type Dispute, type DisputeStatus } from '../../disputes/model';
import { amountOf, instant, percent, staffStatus, timeLeft, words } from './format';
import { html, type SafeHtml } from './html';
import type { Recommendation } from '../../resolution/recommend';
import { recommendationCell } from './resolution-pages';

export function loginPage(options: { failed: boolean; next: string }): SafeHtml {
  return html`<h1>Sign in</h1>
<form method="post" action="/login" data-login data-next="${options.next}">
  <input type="hidden" name="next" value="${options.next}">
  <label for="token">Admin token<input id="token" name="token" type="password" autocomplete="current-password" required autofocus></label>
  <p><button class="primary" type="submit">Sign in</button></p>
  ${options.failed ? html`<p class="flash error" role="alert">That token is not right.</p>` : ''}
  <p id="insecure" class="flash error" role="alert" hidden>This page came over plain HTTP: your browser will not keep the sign-in.
  Open Rebuttal over HTTPS (behind a TLS proxy), or at http://localhost on its own machine.</p>
</form>`;
}

export function messagePage(heading: string, text: string): SafeHtml {
  return html`<h1>${heading}</h1><p>${text}</p><p><a href="/">Back to the disputes</a></p>`;
}

function select(name: string, label: string, values: readonly string[], selected: string | undefined): SafeHtml {
  return html`<label for="${name}">${label}<select id="${name}" name="${name}">${['', ...values].map(
    (v) => html`<option value="${v}" ${v === (selected ?? '') ? html`selected` : ''}>${v ? words(v) : 'any'}</option>`,
  )}</select></label>`;
}

export const DUE_WITHIN = ['24h', '72h', '168h'] as const;

/** The list's views: by default what needs action; closed disputes have their own. */
export const SHOW = ['needs_action', 'open', 'closed', 'all'] as const;
export type Show = (typeof SHOW)[number];
export const SHOW_STATUSES: Record<Show, readonly DisputeStatus[] | undefined> = {
  needs_action: ['needs_response'],
  open: DISPUTE_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s)),
  closed: TERMINAL_STATUSES,
  all: undefined,
};

export interface DisputeListFilter {
  show?: Show;
  status?: (typeof DISPUTE_STATUSES)[number];
  provider?: Dispute['provider'];
  dueWithin?: (typeof DUE_WITHIN)[number];
}

export function disputesPage(disputes: Dispute[], filter: DisputeListFilter, now: Date, recommendations?: Map<string, Recommendation | null>): SafeHtml {
  const show = filter.status ? 'all' : (filter.show ?? 'needs_action');
  return html`<h1>Disputes${show === 'all' ? '' : html`: ${words(show)}`}</h1>
<form class="filters" method="get" action="/" aria-label="Filter disputes">
  <label for="show">Show<select id="show" name="show">${SHOW.map(
    (v) => html`<option value="${v}" ${v === show ? html`selected` : ''}>${words(v)}</option>`,
  )}</select></label>
  ${select('status', 'Status', DISPUTE_STATUSES, filter.status)}
  ${select('provider', 'Provider', PROVIDER_NAMES, filter.provider)}
  ${select('dueWithin', 'Due within', DUE_WITHIN, filter.dueWithin)}
  <button type="submit">Filter</button>
</form>
${
  disputes.length === 0
    ? html`<p>${show === 'needs_action' ? 'Nothing needs action. Closed disputes are under Show: closed.' : 'No disputes match.'}</p>`
    : html`<table class="cards"><caption class="sr-only">Disputes, soonest evidence deadline first</caption>
<thead><tr><th scope="col">Due</th><th scope="col">Amount</th><th scope="col">Provider</th><th scope="col">Reason</th><th scope="col">Status</th><th scope="col">Evidence</th>${recommendations ? html`<th scope="col">Advice</th>` : ''}</tr></thead>
<tbody>${disputes.map((d) => disputeRow(d, now, recommendations))}</tbody></table>`
}`;
}

function disputeRow(d: Dispute, now: Date, recommendations?: Map<string, Recommendation | null>): SafeHtml {
  if (TERMINAL_STATUSES.includes(d.status)) return closedRow(d, !!recommendations);
  const open = d.status === 'needs_response' && !d.evidence.submittedAt;
  const left = timeLeft(open ? d.dueBy : null, now);
  return html`<tr class="${left.urgency}" data-dispute="${d.id}">
<td data-label="Due" class="left"><a href="/disputes/${d.id}">${open ? left.text : d.dueBy ? html`deadline ${instant(d.dueBy)}` : 'no deadline'}</a></td>
<td data-label="Amount">${amountOf(d)}</td>
<td data-label="Provider"><span>${d.provider} <small>${d.providerDisputeId}</small></span></td>
<td data-label="Reason">${words(d.reason)}</td>
<td data-label="Status"><span><span class="badge">${staffStatus(d)}</span> <small>${words(d.stage)}</small></span></td>
<td data-label="Evidence"><span>${percent(d.evidence.completeness)}${d.evidence.missing.length ? html` <small>missing ${d.evidence.missing.map(words).join(', ')}</small>` : ''}</span></td>${recommendations ? recommendationCell(recommendations.get(d.id)) : ''}</tr>`;
}

/** A closed dispute: when it closed and how it ended; what was missing no longer matters. */
function closedRow(d: Dispute, withAdvice: boolean): SafeHtml {
  return html`<tr class="closed" data-dispute="${d.id}">
<td data-label="Closed" class="left"><a href="/disputes/${d.id}">${d.closedAt ? html`closed ${instant(d.closedAt)}` : 'closed'}</a></td>
<td data-label="Amount">${amountOf(d)}</td>
<td data-label="Provider"><span>${d.provider} <small>${d.providerDisputeId}</small></span></td>
<td data-label="Reason">${words(d.reason)}</td>
<td data-label="Status"><span><span class="badge">${words(d.status)}</span> <small>${words(d.stage)}</small></span></td>
<td data-label="Outcome"><span class="outcome">${words(d.outcome ?? d.status)}${d.evidence.submittedAt ? html` <small>evidence submitted ${instant(d.evidence.submittedAt)}</small>` : ''}</span></td>${withAdvice ? html`<td data-label="Advice"></td>` : ''}</tr>`;
}

export function confirmPage(dispute: Dispute, action: 'submit' | 'accept'): SafeHtml {
  const question = action === 'submit' ? 'Submit the evidence packet?' : 'Accept the dispute? The customer keeps the money.';
  return html`<h1>${question}</h1>
<p>${dispute.provider} dispute ${dispute.providerDisputeId} for ${amountOf(dispute)}, ${words(dispute.reason)},
evidence ${percent(dispute.evidence.completeness)} complete${dispute.evidence.missing.length ? html` (<span class="missing">missing ${dispute.evidence.missing.map(words).join(', ')}</span>)` : ''}.</p>
<p><strong>This cannot be undone:</strong> the provider takes one response.</p>
<form method="post" action="/disputes/${dispute.id}/${action}" class="actions">
  <button type="submit" class="${action === 'submit' ? 'primary' : 'danger'}">Yes, ${action}</button>
  <a href="/disputes/${dispute.id}">Cancel</a>
</form>`;
}

export interface EventListFilter {
  status?: (typeof EVENT_STATUSES)[number];
  provider?: Dispute['provider'];
}

export function eventsPage(events: EventSummary[], filter: EventListFilter): SafeHtml {
  return html`<h1>Events</h1>
<form class="filters" method="get" action="/events" aria-label="Filter events">
  ${select('status', 'Status', EVENT_STATUSES, filter.status)}
  ${select('provider', 'Provider', PROVIDER_NAMES, filter.provider)}
  <button type="submit">Filter</button>
</form>
${
  events.length === 0
    ? html`<p>No events match.</p>`
    : html`<table class="cards"><caption class="sr-only">Webhook events, newest first</caption>
<thead><tr><th scope="col">Received</th><th scope="col">Provider</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Error</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
<tbody>${events.map(eventRow)}</tbody></table>`
}`;
}

function eventRow(e: EventSummary): SafeHtml {
  const attempts = e.attempts ? ` (${e.attempts} ${e.attempts === 1 ? 'attempt' : 'attempts'})` : '';
  return html`<tr class="${e.status === 'failed' ? 'failed' : ''}" data-event="${e.id}">
<td data-label="Received">${instant(e.receivedAt)}</td>
<td data-label="Provider"><span>${e.provider} <small>${e.providerEventId}</small></span></td>
<td data-label="Type">${e.type}</td>
<td data-label="Status"><span><span class="badge">${e.status}</span>${attempts}</span></td>
<td data-label="Error">${e.lastError ?? ''}</td>
<td data-label="">${
    e.status === 'failed'
      ? html`<form method="post" action="/events/${e.id}/redrive"><button type="submit" aria-label="Re-drive event ${e.providerEventId}">Re-drive</button></form>`
      : ''
  }</td></tr>`;
}
