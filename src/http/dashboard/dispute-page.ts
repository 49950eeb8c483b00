import type { AlertView } from '../../alerts/repository';
import type { Dispute } from '../../disputes/model';
import type { TimelineEntry } from '../../disputes/repository';
import { formatAddress } from '../../evidence/packet';
import type { StoredPacket } from '../../evidence/packets';
import type { OrderRecords } from '../../evidence/repository';
import { formatLocation, type DeliveryAddressCheck } from '../../evidence/delivery-address';
import type { ActionView } from '../../sources/repository';
import { formatMoney } from '../../money';
import { FINAL_KINDS, whyNoResponse, type Submission } from '../../submission/model';
import type { Recommendation } from '../../resolution/recommend';
import { recommendationSection, resolutionForms } from './resolution-pages';
import { formatDuration } from '../../time';
import { amountOf, instant, percent, staffStatus, timeLeft, words } from './format';
import { html, type SafeHtml } from './html';

export interface DisputeView {
  dispute: Dispute;
  timeline: TimelineEntry[];
  packet?: StoredPacket;
  submissions: Submission[];
  alerts: AlertView[];
  /** What was posted to the customer's helpdesk for this dispute (note, acknowledgment). */
  helpdesk?: ActionView[];
  recommendation?: Recommendation | null;
}

/** Why staff cannot answer now (as the submit endpoint would refuse), or undefined. */
export function whyNotAnswerable(view: Pick<DisputeView, 'dispute' | 'submissions'>, now: Date): string | undefined {
  const inFlight = view.submissions.find((s) => s.status === 'queued' || s.status === 'sending');
  if (inFlight) return `a ${inFlight.kind} is already under way`;
  const final = view.submissions.find((s) => s.status === 'sent' && FINAL_KINDS.includes(s.kind));
  if (final) return `a ${final.kind} was already sent`;
  return whyNoResponse(view.dispute, now);
}

export function disputePage(view: DisputeView, now: Date): SafeHtml {
  const { dispute: d, packet } = view;
  const records = packet?.snapshot.records;
  const left = timeLeft(d.dueBy, now);
  const refused = whyNotAnswerable(view, now);
  const pending = view.submissions.find((s) => s.status === 'queued' || s.status === 'sending');
  return html`<h1>${amountOf(d)} · ${words(d.reason)}</h1>
<dl class="facts">
  <dt>Status</dt><dd><span class="badge" id="dispute-status">${staffStatus(d, view.submissions)}</span> ${words(d.stage)}${d.outcome ? ` · ${d.outcome}` : ''}</dd>
  <dt>Provider</dt><dd>${d.provider} dispute ${d.providerDisputeId} (${d.providerStatus}, reason ${d.providerReason})</dd>
  <dt>Payment</dt><dd>${d.providerPaymentId ?? 'unknown'}${d.orderId ? ` · order ${d.orderId}` : ''}</dd>
  <dt>Evidence due</dt><dd>${d.dueBy ? html`${instant(d.dueBy)} · <span class="${left.urgency}">${left.text}</span>` : 'no deadline yet'}</dd>
  <dt>Opened</dt><dd>${instant(d.openedAt)}${d.closedAt ? html` · closed ${instant(d.closedAt)}` : ''}</dd>
  ${d.evidence.submittedAt ? html`<dt>Evidence submitted</dt><dd>${instant(d.evidence.submittedAt)}</dd>` : ''}
</dl>
<div class="actions">${
    refused
      ? html`<p>No response can be sent: ${refused}.</p>`
      : html`<a class="button primary" href="/disputes/${d.id}/confirm?action=submit">Submit evidence…</a>
<a class="button danger" href="/disputes/${d.id}/confirm?action=accept">Accept the dispute…</a>`
  }${packet ? html`<a href="/api/disputes/${d.id}/packet.pdf">Evidence packet (PDF)</a>` : ''}</div>
${recommendationSection(refused ? null : view.recommendation ?? null)}
${refused ? '' : resolutionForms(d)}
${packetSection(d, packet)}
${orderSection(d, records)}
${shipmentsSection(records, records && !refused ? d.id : undefined, packet?.deliveryAddress)}
${conversationSection(records, view.helpdesk ?? [])}
<section aria-labelledby="sub-h"><h2 id="sub-h">Submissions</h2>
${
  view.submissions.length
    ? html`<ul id="submissions" ${pending ? html`data-pending-submission="${pending.id}" data-dispute="${d.id}"` : ''} aria-live="polite">${view.submissions.map(
        (s) => html`<li>${s.kind}${describeRequest(s)} · <span class="badge">${s.status}</span> · requested by ${s.requestedBy} ${instant(s.createdAt)}${s.sentAt ? html` · sent ${instant(s.sentAt)}` : ''}${s.error ? html` · <span class="missing">${s.error}</span>` : ''}</li>`,
      )}</ul>`
    : html`<p>None yet.</p>`
}
</section>
${alertsSection(view.alerts)}
<section aria-labelledby="tl-h"><h2 id="tl-h">Timeline</h2>
${
  view.timeline.length
    ? html`<ol>${view.timeline.map(
        (t) => html`<li>${instant(t.occurredAt)} ${t.type}: ${t.note}${t.applied ? '' : ' (not applied)'}${t.changes.length ? html` <small>(${t.changes.join(', ')})</small>` : ''}</li>`,
      )}</ol>`
    : html`<p>No provider events yet.</p>`
}
</section>`;
}

function packetSection(d: Dispute, packet: StoredPacket | undefined): SafeHtml {
  return html`<section aria-labelledby="packet-h"><h2 id="packet-h">Evidence packet: ${percent(packet?.completeness ?? d.evidence.completeness)} complete</h2>
${
  packet
    ? html`${(packet.warnings ?? []).map((w) => html`<p class="missing" role="alert" data-warning><strong>Check before submitting:</strong> ${w}</p>`)}
${packet.missing.length ? html`<p class="missing"><strong>Missing:</strong> ${packet.missing.map(words).join(', ')}</p>` : html`<p>Nothing missing.</p>`}
${letterSection(packet)}
<ul>${packet.items.map((i) => html`<li><strong>${words(i.kind)}</strong>: ${i.summary} <small>(from ${i.source})</small></li>`)}</ul>
${packet.truncations.length ? html`<p><small>Cut to fit the provider's limits: ${packet.truncations.map((t) => t.field).join(', ')}</small></p>` : ''}
<details><summary>What ${d.provider} receives</summary><pre>${JSON.stringify(packet.providerPayload, null, 2)}</pre></details>`
    : html`<p>Not gathered yet.</p>`
}
</section>`;
}

/** The letter sentence by sentence, each with the evidence it rests on (packets stored before sentences show the text). */
function letterSection(packet: StoredPacket): SafeHtml {
  if (!packet.sentences?.length) return html`<p>${packet.letter}</p>`;
  return html`<ol class="letter" aria-label="Letter to the provider, with the evidence behind each sentence">${packet.sentences.map(
    (s) => html`<li>${s.text} <small class="rests-on">${s.restsOn.length ? `rests on: ${s.restsOn.map(words).join(', ')}` : 'the customer\'s claim'}</small></li>`,
  )}</ol>`;
}

function orderSection(d: Dispute, records: OrderRecords | undefined): SafeHtml {
  if (!records) return html`<section aria-labelledby="order-h"><h2 id="order-h">Order</h2><p>No order is linked (payment ${d.providerPaymentId ?? 'unknown'}).</p></section>`;
  const { order } = records;
  return html`<section aria-labelledby="order-h"><h2 id="order-h">Order ${records.orderId}</h2>
<dl class="facts">
  <dt>From</dt><dd>${originBadge(records.source ?? 'api')}${
    records.match === 'email_amount'
      ? html` <span class="badge missing" data-match="email_amount">weak match: email + amount</span>`
      : records.match === 'payment_id'
        ? html` <span class="badge" data-match="payment_id">matched by payment id</span>`
        : ''
  }${(records.origins ?? []).filter((o) => o.orderId).map((o) => html` <small>also found: ${o.source} order ${o.orderId}${o.match ? ` (${words(o.match)})` : ''}</small>`)}</dd>
  <dt>Placed</dt><dd>${instant(order.placedAt)} for ${formatMoney(order.amount)}</dd>
  <dt>Customer</dt><dd>${order.customer.name} &lt;${order.customer.email}&gt;${order.customer.phone ? `, ${order.customer.phone}` : ''}</dd>
  ${order.customer.shippingAddress ? html`<dt>Ships to</dt><dd>${formatAddress(order.customer.shippingAddress)}</dd>` : ''}
  ${order.customer.billingAddress ? html`<dt>Billing</dt><dd>${formatAddress(order.customer.billingAddress)}</dd>` : ''}
  ${order.checks ? html`<dt>Checks</dt><dd>${Object.entries(order.checks).map(([k, v]) => `${k} ${v}`).join(', ')}</dd>` : ''}
  ${order.ip ? html`<dt>IP address</dt><dd>${order.ip}</dd>` : ''}
</dl>
<ul>${order.items.map((i) => html`<li>${i.quantity} × ${i.description}${i.sku ? html` <small>${i.sku}</small>` : ''}</li>`)}</ul>
</section>`;
}

const SOURCE_WORDS: Record<string, string> = { api: 'pushed by API', import: 'imported (NDJSON)', shopify: 'Shopify', woocommerce: 'WooCommerce', aftership: 'AfterShip', easypost: 'EasyPost' };
const originBadge = (source: string) => html`<span class="badge" data-source="${source}">${SOURCE_WORDS[source] ?? source}</span>`;

/** `recordFor`: the dispute a missing shipment can be recorded for, from this page. */
function shipmentsSection(records: OrderRecords | undefined, recordFor?: string, addressCheck?: DeliveryAddressCheck): SafeHtml {
  return html`<section aria-labelledby="ship-h"><h2 id="ship-h">Shipments</h2>
${
  records?.shipments.length
    ? records.shipments.map(
        (s) => html`<h3>${s.carrier} ${s.trackingNumber} · ${words(s.status)} ${originBadge(s.source ?? 'api')}</h3>
<p>Shipped ${instant(s.shippedAt)}${s.deliveredAt ? html`, delivered ${instant(s.deliveredAt)}` : ''}${s.deliveryAddress ? ` to ${formatAddress(s.deliveryAddress)}` : s.deliveryLocation ? ` at ${formatLocation(s.deliveryLocation)}` : ''}${s.signedBy ? `, signed by ${s.signedBy}` : ''}</p>
${
  addressCheck?.shipmentId === s.shipmentId
    ? addressCheck.result === 'mismatch'
      ? html`<p class="missing" role="alert" data-address-check="mismatch"><strong>Delivery address mismatch:</strong> delivered at ${addressCheck.delivered}; the order ships to ${addressCheck.ordered}.</p>`
      : html`<p data-address-check="match">Delivery address matches the order's shipping address.</p>`
    : ''
}
${s.tracking?.state === 'unknown' ? html`<p class="missing" data-tracking="unknown">${s.tracking.provider} cannot track this number yet${s.tracking.reason ? html` (${s.tracking.reason})` : ''}.</p>` : ''}
${s.events?.length ? html`<ol aria-label="Tracking events of ${s.trackingNumber}">${s.events.map((e) => html`<li>${instant(e.at)} ${e.status}${e.location ? ` (${e.location})` : ''}</li>`)}</ol>` : html`<p>No tracking events.</p>`}
${s.proofOfDelivery ? html`<p>Proof of delivery: ${s.proofOfDelivery}</p>` : ''}`,
      )
    : html`<p>None recorded.</p>`
}
${recordFor ? shipmentForm(recordFor) : ''}
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

function conversationSection(records: OrderRecords | undefined, helpdesk: ActionView[]): SafeHtml {
  const origin = (m: OrderRecords['messages'][number]) =>
    m.source
      ? html` <span class="badge" data-source="${m.source}">${m.source}</span>${m.sourceUrl ? html` <a href="${m.sourceUrl}" rel="noreferrer noopener" target="_blank">ticket ${m.ticketId ?? ''}</a>` : ''}`
      : '';
  return html`<section aria-labelledby="conv-h"><h2 id="conv-h">Conversation</h2>
${
  records?.messages.length
    ? html`<ol>${records.messages.map((m) => html`<li><strong>${m.direction === 'inbound' ? m.from : `Us (${m.from})`}</strong> <small>${m.channel}, ${instant(m.at)}</small>${origin(m)}<br>${m.body}</li>`)}</ol>`
    : html`<p>No messages.</p>`
}
${
  helpdesk.length
    ? html`<p>Helpdesk: ${helpdesk.map(
        (a, i) => html`${i ? '; ' : ''}${a.source} ${a.action === 'note' ? 'internal note' : 'acknowledgment'} ${a.status}${a.url ? html` (<a href="${a.url}" rel="noreferrer noopener" target="_blank">ticket ${a.ticketId ?? ''}</a>)` : ''}${a.error ? html` <small>${a.error}</small>` : ''}`,
      )}</p>`
    : ''
}
</section>`;
}

function alertsSection(alerts: AlertView[]): SafeHtml {
  const kindInWords = (kind: string) => (kind.startsWith('threshold:') ? `${formatDuration(Number(kind.slice('threshold:'.length)))} reminder` : words(kind));
  return html`<section aria-labelledby="alerts-h"><h2 id="alerts-h">Alerts sent</h2>
${
  alerts.length
    ? html`<ul>${alerts.map(
        (a) => html`<li>${kindInWords(a.kind)} ${instant(a.createdAt)}: ${
          a.deliveries.length
            ? a.deliveries.map((x, i) => html`${i ? ', ' : ''}${x.channel} ${x.status}${x.lastError ? html` <small>(${x.lastError})</small>` : ''}`)
            : 'no channel configured'
        }</li>`,
      )}</ul>`
    : html`<p>None.</p>`
}
</section>`;
}

/** What an offer, message or acceptance asked for, in a few words. */
function describeRequest(s: Submission): string {
  const r = s.request as { type?: string; amount?: { value: number; currency: string } | null; body?: string };
  const parts = [r.type ? words(r.type) : '', r.amount ? formatMoney(r.amount) : '', typeof r.body === 'string' ? `“${r.body.slice(0, 80)}${r.body.length > 80 ? '…' : ''}”` : ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
