import { sourcesPage } from '../../../src/http/dashboard/sources-page';
import { page } from '../../../src/http/dashboard/layout';

const HOSTILE = `<script>alert("x")</script>`;

describe('the Sources page', () => {
  const html = sourcesPage([
    { name: 'zendesk', kind: 'helpdesk', displayName: 'Zendesk Support', enabled: true, lastSyncAt: '2026-11-25T10:00:00.000Z', lastError: `zendesk refused the credentials (401): ${HOSTILE}`, records: 0 },
    { name: 'freshdesk', kind: 'helpdesk', displayName: 'Freshdesk', enabled: true, lastSyncAt: '2026-11-25T10:05:00.000Z', lastError: null, records: 12 },
    { name: 'gorgias', kind: 'helpdesk', displayName: 'Gorgias', enabled: false, lastSyncAt: null, lastError: null, records: 0 },
  ]).value;

  it('shows every source, enabled or not, its last sync, records and last error, escaped', () => {
    expect(html).toContain('<tr class="failed" data-source="zendesk">');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain(HOSTILE);
    expect(html).toMatch(/data-source="freshdesk">[\s\S]*<time datetime="2026-11-25T10:05:00.000Z">[\s\S]*<td data-label="Records">12<\/td>/);
    expect(html).toMatch(/data-source="gorgias">[\s\S]*not configured[\s\S]*never/);
  });

  it('offers Sync now for enabled sources only', () => {
    expect(html).toContain('<form method="post" action="/sources/zendesk/sync">');
    expect(html).toContain('<form method="post" action="/sources/freshdesk/sync">');
    expect(html).not.toContain('/sources/gorgias/sync');
  });

  it('is in the main navigation', () => {
    expect(page('Sources', sourcesPage([]), { current: 'sources' })).toContain('<a href="/sources" aria-current="page">Sources</a>');
  });
});
