import type { AlertView } from '../../alerts/repository';
import type { EventSummary } from '../../db/events';
import { DISPUTE_STATUSES, type Dispute } from '../../disputes/model';
import type { TimelineEntry } from '../../disputes/repository';
import type { StoredPacket } from '../../evidence/packets';
import { formatAddress } from '../../evidence/packet';
import { formatMoney } from '../../money';
import type { Submission } from '../../submission/model';
import { html, type SafeHtml } from './html';

const words = (s: string) => s.replace(/_/g, ' ');
const amountOf = (d: Dispute) => (d.amount ? formatMoney(d.amount) : '—');

export function timeLeft(dueBy: string | null, now: Date): { text: string; urgency: '' | 'soon' | 'overdue' } {
  if (!dueBy) return { text: 'no deadline', urgency: '' };
  const ms = Date.parse(dueBy) - now.getTime();
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  const text = hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} h ${Math.floor((Math.abs(ms) % 3_600_000) / 60_000)} min`;
  if (ms < 0) return { text: `overdue by ${text}`, urgency: 'overdue' };
  return { text: `${text} left`, urgency: ms < 24 * 3_600_000 ? 'soon' : '' };
}

export function loginPage(failed: boolean): SafeHtml {
  return html`<h1>Sign in</h1>
<form method="post" action="/login">
  <label for="token">Admin token<input id="token" name="token" type="password" autocomplete="current-password" required autofocus></label>
  <p><button class="primary" type="submit">Sign in</button></p>
  ${failed ? html`<p class="flash error" role="alert">That token is not right.</p>` : ''}
</form>`;
}

export function disputesPage(disputes: Dispute[], filter: { status?: string; provider?: string; dueWithin?: string }, now: Date): SafeHtml {
  const option = (value: string, selected?: string) => html`<option value="${value}" ${value === selected ? html`selected` : ''}>${value ? words(value) : 'any'}</option>`;
  return html`<h1>Disputes</h1>
<form class="filters" method="get" action="/">
  <label for="status">Status<select id="status" name="status">${['', ...DISPUTE_STATUSES].map((s) => option(s, filter.status))}</select></label>
  <label for="provider">Provider<select id="provider" name="provider">${['', 'stripe', 'paypal', 'square'].map((p) => option(p, filter.provider))}</select></label>
  <label for="dueWithin">Due within<select id="dueWithin" name="dueWithin">${['', '24h', '72h', '168h'].map((d) => option(d, filter.dueWithin))}</select></label>
  <button type="submit">Filter</button>
</form>
${
  disputes.length === 0
    ? html`<p>No disputes match.</p>`
    : html`<table class="cards"><caption class="sr-only">Soonest deadline first</caption>
<thead><tr><th scope="col">Due</th><th scope="col">Amount</th><th scope="col">Provider</th><th scope="col">Reason</th><th scope="col">Status</th><th scope="col">Evidence</th></tr></thead>
<tbody>${disputes.map((d) => {
        const left = timeLeft(d.status === 'needs_response' ? d.dueBy : null, now);
        return html`<tr class="${left.urgency}">
<td data-label="Due" class="left"><a href="/disputes/${d.id}">${d.status === 'needs_response' ? left.text : words(d.status)}</a></td>
<td data-label="Amount">${amountOf(d)}</td><td data-label="Provider">${d.provider} <small>${d.providerDisputeId}</small></td>
<td data-label="Reason">${words(d.reason)}</td><td data-label="Status"><span class="badge">${words(d.status)}</span> <small>${words(d.stage)}</small></td>
<td data-label="Evidence">${Math.round(d.evidence.completeness * 100)}%</td></tr>`;
      })}</tbody></table>`
}`;
}

export interface DisputeView {
  dispute: Dispute;
  timeline: TimelineEntry[];
  packet?: StoredPacket;
  submissions: Submission[];
  alerts: AlertView[];
}

export function disputePage(view: DisputeView, now: Date): SafeHtml {
  const { dispute: d, packet } = view;
  const records = packet?.snapshot.records;
  const left = timeLeft(d.dueBy, now);
  const answerable = d.status === 'needs_response' && !d.evidence.submittedAt && !view.submissions.some((s) => s.status !== 'failed');
  return html`<h1>${amountOf(d)} · ${words(d.reason)}</h1>
<p><span class="badge" id="dispute-status">${words(d.status)}</span> ${d.provider} dispute ${d.providerDisputeId}, ${words(d.stage)} ·
${d.dueBy ? html`evidence due ${d.dueBy} (<span class="${left.urgency}">${left.text}</span>)` : 'no deadline yet'}${d.evidence.submittedAt ? html` · evidence submitted ${d.evidence.submittedAt}` : ''}</p>
<div class="actions">${
    answerable
      ? html`<a class="button primary" href="/disputes/${d.id}/confirm?action=submit">Submit evidence…</a>
<a class="button danger" href="/disputes/${d.id}/confirm?action=accept">Accept the dispute…</a>`
      : html`<p>This dispute no longer takes a response.</p>`
  }<a href="/api/disputes/${d.id}/packet.pdf">Evidence PDF</a></div>

<section aria-labelledby="packet-h"><h2 id="packet-h">Evidence packet: ${Math.round(d.evidence.completeness * 100)}% complete</h2>
${packet ? html`<p>${packet.letter}</p><ul>${packet.items.map((i) => html`<li>${i.summary}</li>`)}</ul>
${packet.missing.length ? html`<p><strong>Missing:</strong> ${packet.missing.map(words).join(', ')}</p>` : html`<p>Nothing missing.</p>`}
${packet.truncations.length ? html`<p><small>Cut to fit the provider's limits: ${packet.truncations.map((t) => t.field).join(', ')}</small></p>` : ''}` : html`<p>Not gathered yet.</p>`}
</section>

<section aria-labelledby="order-h"><h2 id="order-h">Order</h2>
${records ? html`<p>${records.orderId}: placed ${records.order.placedAt} by ${records.order.customer.name} &lt;${records.order.customer.email}&gt; for ${formatMoney(records.order.amount)}</p>
<ul>${records.order.items.map((i) => html`<li>${i.quantity} × ${i.description}</li>`)}</ul>
${records.order.customer.shippingAddress ? html`<p>Ships to ${formatAddress(records.order.customer.shippingAddress)}</p>` : ''}` : html`<p>No order is linked (payment ${d.providerPaymentId ?? 'unknown'}).</p>`}
</section>

<section aria-labelledby="ship-h"><h2 id="ship-h">Shipments</h2>
${records?.shipments.length ? records.shipments.map((s) => html`<h3>${s.carrier} ${s.trackingNumber} · ${words(s.status)}</h3>
<ol>${(s.events ?? []).map((e) => html`<li>${e.at} ${e.status}${e.location ? ` (${e.location})` : ''}</li>`)}</ol>
${s.proofOfDelivery ? html`<p>Proof of delivery: ${s.proofOfDelivery}</p>` : ''}`) : html`<p>None recorded.</p>`}
${records && answerable ? shipmentForm(d.id) : ''}
</section>

<section aria-labelledby="conv-h"><h2 id="conv-h">Conversation</h2>
${records?.messages.length ? html`<ol>${records.messages.map((m) => html`<li><strong>${m.direction === 'inbound' ? 'Customer' : 'Us'}</strong> (${m.channel}, ${m.at}): ${m.body}</li>`)}</ol>` : html`<p>No messages.</p>`}
</section>

<section aria-labelledby="sub-h"><h2 id="sub-h">Submissions</h2>
${view.submissions.length ? html`<ul id="submissions">${view.submissions.map((s) => html`<li>${s.kind} · <span class="badge">${s.status}</span> · ${s.createdAt}${s.error ? html` · ${s.error}` : ''}</li>`)}</ul>` : html`<p>None yet.</p>`}
</section>

<section aria-labelledby="alerts-h"><h2 id="alerts-h">Alerts sent</h2>
${view.alerts.length ? html`<ul>${view.alerts.map((a) => html`<li>${a.kind.replace('threshold:', 'reminder ')} · ${a.deliveries.map((x) => `${x.channel} ${x.status}`).join(', ') || 'no channel configured'}</li>`)}</ul>` : html`<p>None.</p>`}
</section>

<section aria-labelledby="tl-h"><h2 id="tl-h">Timeline</h2>
<ol>${view.timeline.map((t) => html`<li>${t.occurredAt} ${t.type}: ${t.note}</li>`)}</ol>
</section>`;
}

/** Fills the most common gap by hand: the tracking the shop system never sent. */
function shipmentForm(disputeId: string): SafeHtml {
  return html`<details><summary>Record a shipment</summary>
<form method="post" action="/disputes/${disputeId}/shipments" class="filters">
  <label for="carrier">Carrier<input id="carrier" name="carrier" required></label>
  <label for="trackingNumber">Tracking number<input id="trackingNumber" name="trackingNumber" required></label>
  <label for="shippedAt">Shipped on<input id="shippedAt" name="shippedAt" type="date" required></label>
  <label for="deliveredAt">Delivered on<input id="deliveredAt" name="deliveredAt" type="date"></label>
  <label for="shipStatus">Status<select id="shipStatus" name="status"><option value="delivered">delivered</option><option value="in_transit">in transit</option><option value="out_for_delivery">out for delivery</option><option value="exception">exception</option><option value="returned">returned</option></select></label>
  <button type="submit">Save shipment</button>
</form></details>`;
}

export function confirmPage(dispute: Dispute, action: 'submit' | 'accept'): SafeHtml {
  const verb = action === 'submit' ? 'Submit the evidence packet' : 'Accept the dispute (the customer keeps the money)';
  return html`<h1>${verb}?</h1>
<p>${dispute.provider} dispute ${dispute.providerDisputeId} for ${amountOf(dispute)}. This cannot be undone: the provider takes one response.</p>
<form method="post" action="/disputes/${dispute.id}/${action}" class="actions">
  <button type="submit" class="${action === 'submit' ? 'primary' : 'danger'}">Yes, ${action}</button>
  <a href="/disputes/${dispute.id}">Cancel</a>
</form>`;
}

export function eventsPage(events: EventSummary[]): SafeHtml {
  return html`<h1>Events</h1>
<table class="cards"><thead><tr><th scope="col">Received</th><th scope="col">Provider</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Error</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
<tbody>${events.map((e) => html`<tr class="${e.status === 'failed' ? 'overdue' : ''}">
<td data-label="Received">${e.receivedAt}</td><td data-label="Provider">${e.provider}</td><td data-label="Type">${e.type}</td>
<td data-label="Status"><span class="badge">${e.status}</span> ${e.attempts ? `(${e.attempts} ${e.attempts === 1 ? 'attempt' : 'attempts'})` : ''}</td><td data-label="Error">${e.lastError ?? ''}</td>
<td>${e.status === 'failed' ? html`<form method="post" action="/events/${e.id}/redrive"><button type="submit" aria-label="Re-drive event ${e.providerEventId}">Re-drive</button></form>` : ''}</td></tr>`)}</tbody></table>`;
}
