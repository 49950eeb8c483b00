import { html, type SafeHtml } from './html';

export type Section = 'disputes' | 'events' | 'sources' | 'none';

export interface PageOptions {
  signedIn?: boolean;
  current?: Section;
  flash?: string;
  error?: boolean;
}

const NAV: Array<[Section, string, string]> = [
  ['disputes', '/', 'Disputes'],
  ['events', '/events', 'Events'],
  ['sources', '/sources', 'Sources'],
  ['none', '/admin/queues', 'Queues'],
];

export function page(title: string, body: SafeHtml, options: PageOptions = {}): string {
  const signedIn = options.signedIn ?? true;
  const link = ([section, href, label]: (typeof NAV)[number]) =>
    html`<li><a href="${href}" ${section === options.current ? html`aria-current="page"` : ''}>${label}</a></li>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Rebuttal</title><link rel="stylesheet" href="/assets/dashboard.css"><script src="/assets/dashboard.js" defer></script></head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><strong>Rebuttal</strong>${
    signedIn
      ? html`<nav aria-label="Main"><ul>${NAV.map(link)}</ul></nav>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`
      : ''
  }</header>
<main id="main" tabindex="-1">${options.flash ? html`<p class="flash${options.error ? ' error' : ''}" role="status">${options.flash}</p>` : ''}${body}</main>
</body></html>`.value;
}
