import type { ReconcileStatus } from '../../reconcile/repository';
import { html, type SafeHtml } from './html';
import { instant } from './format';

/** Each provider's last reconciliation run and its error: a silent webhook endpoint shows here. */
export function reconcilePanel(statuses: ReconcileStatus[]): SafeHtml {
  if (statuses.length === 0) return html``;
  return html`<section class="reconcile" aria-labelledby="reconcile-title">
<h2 id="reconcile-title">Webhook reconciliation</h2>
<ul>${statuses.map(
    (s) => html`<li data-provider="${s.provider}"><strong>${s.provider}</strong>: ${
      s.lastRunAt ? html`last run ${instant(s.lastRunAt)}, found ${String(s.found)}, ` : 'never run'
    }${s.lastError ? html`<span class="missing">error: ${s.lastError}</span>` : s.lastRunAt ? 'ok' : ''}</li>`,
  )}</ul>
</section>`;
}
