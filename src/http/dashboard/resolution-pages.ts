import type { Dispute } from '../../disputes/model';
import { formatMoney, minorToDecimal } from '../../money';
import { OFFER_TYPES, type OfferRequest } from '../../submission/actions';
import type { Recommendation } from '../../resolution/recommend';
import type { Warning } from '../../resolution/warnings';
import { amountOf, instant, words } from './format';
import { html, type SafeHtml } from './html';

/** The recommendation, its figures and its reasons, on the dispute page. */
export function recommendationSection(recommendation: Recommendation | null): SafeHtml {
  if (!recommendation) return html``;
  const r = recommendation;
  return html`<section aria-labelledby="reco-h" id="recommendation"><h2 id="reco-h">Recommendation: <span class="badge">${r.action}</span></h2>
<p>Chance of winning ${Math.round(r.winProbability * 100)}% · expected recovery ${formatMoney(r.expectedRecovery)} · cost of fighting ${formatMoney(r.costs)}</p>
<ul>${r.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>
</section>`;
}

/** The list column: what to do, at a glance. */
export function recommendationCell(recommendation: Recommendation | null | undefined): SafeHtml {
  if (!recommendation) return html`<td data-label="Advice">–</td>`;
  return html`<td data-label="Advice"><span><span class="badge">${recommendation.action}</span> <small>${Math.round(recommendation.winProbability * 100)}% · ${formatMoney(recommendation.expectedRecovery)}</small></span></td>`;
}

const OFFER_WORDS: Record<(typeof OFFER_TYPES)[number], string> = {
  refund: 'Refund',
  refund_with_return: 'Refund when the item is returned',
  refund_with_replacement: 'Refund and send a replacement',
  replacement: 'Replacement, no refund',
};

/**
 * Offer and message forms (PayPal). They lead to the same confirmation step as Submit: nothing
 * is sent from here, the confirmation page's button does it.
 */
export function resolutionForms(d: Dispute): SafeHtml {
  if (d.provider !== 'paypal') return html``;
  return html`<section aria-labelledby="resolve-h"><h2 id="resolve-h">Resolve with the buyer</h2>
<details><summary>Make an offer</summary>
<form method="get" action="/disputes/${d.id}/confirm" class="filters">
  <input type="hidden" name="action" value="offer">
  <label for="offerType">Offer<select id="offerType" name="type">${OFFER_TYPES.map((t) => html`<option value="${t}">${OFFER_WORDS[t]}</option>`)}</select></label>
  <label for="offerAmount">Amount (${d.amount?.currency ?? ''}, at most ${amountOf(d)})<input id="offerAmount" name="amount" inputmode="decimal" placeholder="${d.amount ? minorToDecimal(d.amount.value, d.amount.currency) : ''}"></label>
  <label for="offerNote">Note to the buyer<textarea id="offerNote" name="note" required maxlength="2000"></textarea></label>
  <button type="submit">Review the offer…</button>
</form></details>
<details><summary>Write to the buyer</summary>
<form method="get" action="/disputes/${d.id}/confirm" class="filters">
  <input type="hidden" name="action" value="message">
  <label for="messageBody">Message<textarea id="messageBody" name="body" required maxlength="2000"></textarea></label>
  <button type="submit">Review the message…</button>
</form></details>
</section>`;
}

/** The confirmation of an offer or a message: what will be sent, and the one button that sends it. */
export function confirmResolutionPage(d: Dispute, action: 'offer' | 'message', fields: { offer?: OfferRequest; body?: string; amountText?: string }): SafeHtml {
  const what =
    action === 'offer' && fields.offer
      ? html`<p>Offer to the buyer: <strong>${OFFER_WORDS[fields.offer.type]}</strong>${fields.offer.amount ? html` of <strong>${formatMoney(fields.offer.amount)}</strong>` : ''}.</p><blockquote>${fields.offer.note}</blockquote>`
      : html`<p>Message to the buyer:</p><blockquote>${fields.body ?? ''}</blockquote>`;
  const hidden =
    action === 'offer' && fields.offer
      ? html`<input type="hidden" name="type" value="${fields.offer.type}"><input type="hidden" name="amount" value="${fields.amountText ?? ''}"><input type="hidden" name="note" value="${fields.offer.note}">`
      : html`<input type="hidden" name="body" value="${fields.body ?? ''}">`;
  return html`<h1>${action === 'offer' ? 'Send this offer?' : 'Send this message?'}</h1>
<p>${d.provider} dispute ${d.providerDisputeId} for ${amountOf(d)}, ${words(d.reason)}.</p>
${what}
<p><strong>This cannot be undone:</strong> PayPal shows it to the buyer at once.</p>
<form method="post" action="/disputes/${d.id}/${action}" class="actions">${hidden}
  <button type="submit" class="primary">Yes, send</button>
  <a href="/disputes/${d.id}">Cancel</a>
</form>`;
}

export function warningsPage(warnings: Warning[]): SafeHtml {
  return html`<h1>Early fraud warnings</h1>
<p>The card issuer reported these charges as likely fraud. No dispute exists yet: refunding now usually prevents the chargeback and its fee.</p>
${
  warnings.length === 0
    ? html`<p>No warnings.</p>`
    : html`<table class="cards"><caption class="sr-only">Early fraud warnings, newest first</caption>
<thead><tr><th scope="col">Warned</th><th scope="col">Amount</th><th scope="col">Charge</th><th scope="col">Reason</th><th scope="col">State</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
<tbody>${warnings.map(warningRow)}</tbody></table>`
}`;
}

function warningRow(w: Warning): SafeHtml {
  const state = w.disputeId
    ? html`<a href="/disputes/${w.disputeId}">disputed</a>`
    : w.refunded
      ? html`<span class="badge">refunded</span>`
      : w.refund && w.refund.status !== 'failed'
        ? html`<span class="badge">refund ${w.refund.status}</span>`
        : html`open${w.refund?.error ? html` <small class="missing">last refund failed: ${w.refund.error}</small>` : ''}`;
  const canRefund = !w.disputeId && !w.refunded && (!w.refund || w.refund.status === 'failed');
  return html`<tr data-warning="${w.id}">
<td data-label="Warned">${instant(w.createdAt)}</td>
<td data-label="Amount">${w.amount ? formatMoney(w.amount) : 'unknown'}</td>
<td data-label="Charge"><span>${w.provider} <small>${w.providerPaymentId}</small></span></td>
<td data-label="Reason">${words(w.reason)}</td>
<td data-label="State">${state}</td>
<td data-label="Action">${
    canRefund
      ? html`<form method="get" action="/warnings/${w.id}/confirm" class="filters"><label for="amount-${w.id}">Amount<input id="amount-${w.id}" name="amount" inputmode="decimal" placeholder="${w.amount ? minorToDecimal(w.amount.value, w.amount.currency) : 'all'}"></label><button type="submit">Refund…</button></form>`
      : ''
  }</td></tr>`;
}

export function confirmRefundPage(w: Warning, amountText: string): SafeHtml {
  const shown = amountText ? `${amountText} ${w.amount?.currency ?? ''}` : w.amount ? formatMoney(w.amount) : 'the whole charge';
  return html`<h1>Refund ${shown}?</h1>
<p>${w.provider} charge ${w.providerPaymentId}, warned ${instant(w.createdAt)} (${words(w.reason)}).</p>
<p><strong>This cannot be undone:</strong> the money goes back to the card.</p>
<form method="post" action="/warnings/${w.id}/refund" class="actions"><input type="hidden" name="amount" value="${amountText}">
  <button type="submit" class="danger">Yes, refund</button>
  <a href="/warnings">Cancel</a>
</form>`;
}
