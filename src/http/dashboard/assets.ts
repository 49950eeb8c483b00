/**
 * The dashboard's only stylesheet and script, served as files so that the pages' Content-Security-Policy
 * can forbid inline code. Plain CSS and JS: nothing to build.
 */

export const STYLESHEET = `
:root { --ink:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --accent:#0b57d0; --late:#b3261e; --soon:#8a5300; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:#fff; }
a { color:var(--accent); }
:focus-visible { outline:3px solid var(--accent); outline-offset:2px; }
.skip { position:absolute; left:-9999px; top:0; background:#fff; padding:.5rem 1rem; z-index:1; }
.skip:focus { left:1rem; }
header { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:center; padding:.75rem 1rem; background:var(--bg); border-bottom:1px solid var(--line); }
header strong { font-size:1.1rem; } header nav { flex:1; } header nav ul { display:flex; flex-wrap:wrap; gap:1rem; margin:0; padding:0; list-style:none; }
header nav a[aria-current="page"] { font-weight:700; text-decoration-thickness:2px; } header form { margin:0; }
main { padding:1rem; max-width:72rem; margin:0 auto; }
table { width:100%; border-collapse:collapse; } th, td { text-align:left; padding:.5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.85rem; color:var(--muted); }
td small { color:var(--muted); overflow-wrap:anywhere; }
tr.overdue { background:#fdecea; } tr.overdue .left, span.overdue { color:var(--late); font-weight:700; }
tr.soon { background:#fff4e0; } tr.soon .left, span.soon { color:var(--soon); font-weight:700; }
tr.failed { background:#fdecea; }
.badge { display:inline-block; padding:0 .45rem; border-radius:1rem; border:1px solid var(--muted); font-size:.85rem; white-space:nowrap; }
.filters { display:flex; flex-wrap:wrap; gap:.75rem; align-items:end; margin-bottom:1rem; }
label { display:flex; flex-direction:column; font-size:.85rem; color:var(--muted); gap:.2rem; }
input, select, button { font:inherit; padding:.4rem .6rem; border:1px solid var(--muted); border-radius:.3rem; background:#fff; color:var(--ink); }
button { cursor:pointer; min-height:2.5rem; white-space:nowrap; }
a.button { display:inline-flex; align-items:center; min-height:2.5rem; padding:.4rem .8rem; border-radius:.3rem; border:1px solid var(--accent); text-decoration:none; }
button.primary, a.button.primary { background:var(--accent); color:#fff; border-color:var(--accent); }
button.danger, a.button.danger { background:var(--late); color:#fff; border-color:var(--late); }
section { margin:1.5rem 0; } h1 { font-size:1.5rem; margin:.5rem 0; } h2 { font-size:1.15rem; border-bottom:1px solid var(--line); padding-bottom:.3rem; } h3 { font-size:1rem; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip-path:inset(50%); white-space:nowrap; }
.flash { padding:.6rem .8rem; border:1px solid var(--accent); background:#e8f0fe; border-radius:.3rem; }
.error { border-color:var(--late); background:#fdecea; }
.missing { color:var(--late); }
main li { overflow-wrap:anywhere; } ol.letter .rests-on { color:var(--muted); }
pre { white-space:pre-wrap; overflow-wrap:anywhere; background:var(--bg); padding:.75rem; border-radius:.3rem; font-size:.85rem; }
.actions { display:flex; gap:.75rem; flex-wrap:wrap; align-items:center; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.25rem 1rem; } dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; overflow-wrap:anywhere; }
.charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(20rem, 1fr)); gap:1rem; } .charts figure { margin:0; }
.charts figcaption { font-weight:600; margin-bottom:.4rem; } .chart { position:relative; height:18rem; }
@media (max-width: 40rem) {
  main { padding:.75rem; }
  table.cards thead { position:absolute; width:1px; height:1px; overflow:hidden; clip-path:inset(50%); }
  table.cards, table.cards tbody { display:block; }
  table.cards tr { display:block; border:1px solid var(--line); border-radius:.4rem; margin-bottom:.75rem; padding:.25rem .5rem; }
  table.cards td { display:grid; grid-template-columns:6.5rem minmax(0, 1fr); gap:.5rem; border:none; padding:.25rem 0; overflow-wrap:anywhere; }
  table.cards td::before { content:attr(data-label); color:var(--muted); font-size:.85rem; }
  dl.facts { grid-template-columns:1fr; } dl.facts dd { margin-bottom:.4rem; }
}`;

export const SCRIPT = `
(function () {
  'use strict';
  // Login: a link from an email or chat is a cross-site navigation, which does not carry the
  // SameSite=Strict cookie; a same-origin request does, so ask and go on if already signed in.
  var login = document.querySelector('form[data-login]');
  if (login) {
    var next = login.getAttribute('data-next') || '/';
    var loopback = ['localhost', '127.0.0.1', '[::1]'].indexOf(location.hostname) >= 0;
    if (location.protocol === 'http:' && !loopback) document.getElementById('insecure').hidden = false;
    fetch('/session', { credentials: 'same-origin' }).then(function (r) { if (r.status === 204) location.replace(next); }, function () {});
  }
  // Dispute page: while a submission is on its way, watch it and show the result once it is known.
  var pending = document.querySelector('[data-pending-submission]');
  if (pending) {
    var id = pending.getAttribute('data-pending-submission');
    var url = '/api/disputes/' + encodeURIComponent(pending.getAttribute('data-dispute')) ;
    var watch = function () {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          var s = d && (d.submissions || []).filter(function (x) { return x.id === id; })[0];
          if (s && (s.status === 'sent' || s.status === 'failed')) location.replace(location.pathname);
          else setTimeout(watch, 2000);
        }, function () { setTimeout(watch, 5000); });
    };
    setTimeout(watch, 1000);
  }
})();
`;
