import type { SourceStatus } from '../../sources/status';
import { instant } from './format';
import { html, type SafeHtml } from './html';

/** Every evidence source: enabled or not, last sync, records held, the last error; "Sync now" for the enabled ones. */
export function sourcesPage(sources: SourceStatus[]): SafeHtml {
  return html`<h1>Evidence sources</h1>
<p>Helpdesks, stores and carrier tracking Rebuttal pulls evidence from. A source is enabled when its credentials are set (see the README).</p>
<table class="cards"><caption class="sr-only">Evidence sources</caption>
<thead><tr><th scope="col">Source</th><th scope="col">Kind</th><th scope="col">Enabled</th><th scope="col">Last sync</th><th scope="col">Records</th><th scope="col">Last error</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
<tbody>${sources.map(
    (s) => html`<tr class="${s.lastError ? 'failed' : ''}" data-source="${s.name}">
<td data-label="Source">${s.displayName} <small>${s.name}</small></td>
<td data-label="Kind">${s.kind}</td>
<td data-label="Enabled"><span class="badge">${s.enabled ? 'enabled' : 'not configured'}</span></td>
<td data-label="Last sync">${s.lastSyncAt ? instant(s.lastSyncAt) : 'never'}</td>
<td data-label="Records">${s.records}</td>
<td data-label="Last error">${s.lastError ?? ''}</td>
<td data-label="">${s.enabled ? html`<form method="post" action="/sources/${s.name}/sync"><button type="submit" aria-label="Sync ${s.displayName} now">Sync now</button></form>` : ''}</td></tr>`,
  )}</tbody></table>`;
}
