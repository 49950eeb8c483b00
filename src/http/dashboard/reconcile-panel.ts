import type { ReconcileStatus } from '../../reconcile/repository';
import { html, type SafeHtml } from './html';
import { instant } from './format';

/** Each provider's last reconciliation run and its error: a silent webhook endpoint shows here. */
export function reconcilePanel(statuses: ReconcileStatus[]): SafeHtml {
  if (statuses.length === 0) return html``;
  return html`<section class="reconcile" aria-labelledby="reconcile-title">
<h2 id="reconcile-title">Reconciliation with providers</h2>
<table><thead><tr><th scope="col">Provider</th><th scope="col">Last run</th><th scope="col">Found</th><th scope="col">Result</th></tr></thead>
<tbody>${statuses.map(
    (s) => html`<tr data-provider="${s.provider}"><td>${s.provider}</td><td>${s.lastRunAt ? instant(s.lastRunAt) : 'never'}</td><td>${String(s.found)}</td><td>${s.lastError ? html`<span class="missing">error: ${s.lastError}</span>` : s.lastRunAt ? 'ok' : '—'}</td></tr>`,
  )}</tbody></table>
</section>`;
}
