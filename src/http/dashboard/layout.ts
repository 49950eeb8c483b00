import { html, raw, type SafeHtml } from './html';

const STYLE = raw(`
:root { --ink:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --accent:#0b57d0; --late:#b3261e; --soon:#8a5300; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:#fff; }
a { color:var(--accent); }
:focus-visible { outline:3px solid var(--accent); outline-offset:2px; }
header { display:flex; flex-wrap:wrap; gap:1rem; align-items:center; padding:.75rem 1rem; background:var(--bg); border-bottom:1px solid var(--line); }
header strong { font-size:1.1rem; } header nav { display:flex; gap:1rem; flex:1; } header form { margin:0; }
main { padding:1rem; max-width:72rem; margin:0 auto; }
table { width:100%; border-collapse:collapse; } th, td { text-align:left; padding:.5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.85rem; color:var(--muted); }
.overdue { background:#fdecea; } .overdue .left { color:var(--late); font-weight:700; }
.soon { background:#fff4e0; } .soon .left { color:var(--soon); font-weight:700; }
.badge { display:inline-block; padding:0 .45rem; border-radius:1rem; border:1px solid var(--line); font-size:.85rem; }
.filters { display:flex; flex-wrap:wrap; gap:.75rem; align-items:end; margin-bottom:1rem; }
label { display:flex; flex-direction:column; font-size:.85rem; color:var(--muted); gap:.2rem; }
input, select, button { font:inherit; padding:.4rem .6rem; border:1px solid var(--muted); border-radius:.3rem; background:#fff; color:var(--ink); }
a.button { display:inline-block; padding:.4rem .8rem; border-radius:.3rem; border:1px solid var(--accent); text-decoration:none; }
button.primary, a.button.primary { background:var(--accent); color:#fff; border-color:var(--accent); } button.danger, a.button.danger { background:var(--late); color:#fff; border-color:var(--late); }
section { margin:1.5rem 0; } h1 { font-size:1.5rem; } h2 { font-size:1.15rem; border-bottom:1px solid var(--line); padding-bottom:.3rem; }
.sr-only { position:absolute; left:-9999px; }
.flash { padding:.6rem .8rem; border:1px solid var(--accent); background:#e8f0fe; border-radius:.3rem; }
.error { border-color:var(--late); background:#fdecea; }
pre { white-space:pre-wrap; background:var(--bg); padding:.75rem; border-radius:.3rem; }
.actions { display:flex; gap:.75rem; flex-wrap:wrap; }
@media (max-width: 40rem) {
  table.cards thead { position:absolute; left:-9999px; }
  table.cards tr { display:block; border:1px solid var(--line); border-radius:.4rem; margin-bottom:.75rem; padding:.25rem .5rem; }
  table.cards td { display:flex; justify-content:space-between; gap:1rem; border:none; padding:.25rem 0; }
  table.cards td::before { content:attr(data-label); color:var(--muted); font-size:.85rem; }
}`);

export function page(title: string, body: SafeHtml, options: { signedIn?: boolean; flash?: string; error?: boolean } = {}): string {
  const signedIn = options.signedIn ?? true;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Rebuttal</title><style>${STYLE}</style></head>
<body>
<header><strong>Rebuttal</strong>${
    signedIn
      ? html`<nav aria-label="Main"><a href="/">Disputes</a><a href="/events">Events</a><a href="/admin/queues">Queues</a></nav>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`
      : ''
  }</header>
<main id="main">${options.flash ? html`<p class="flash${options.error ? ' error' : ''}" role="status">${options.flash}</p>` : ''}${body}</main>
</body></html>`.value;
}
