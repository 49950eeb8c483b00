import { PROVIDER_NAMES } from '../../providers';
import { round, type Insights } from '../../insights/model';
import type { MonthFigures } from '../../insights/monthly';
import type { InsightsRange } from '../../insights/range';
import { formatMoney, minorToDecimal } from '../../money';
import { words } from './format';
import { html, raw, type SafeHtml } from './html';

export interface InsightsView {
  insights: Insights;
  monthly: MonthFigures[];
  range: InsightsRange;
}

const rate = (value: number | null) => (value === null ? '—' : `${round(value * 100, 1)}%`);
const money = (amount: number, currency: string) => formatMoney({ value: amount, currency });

/** What the charts draw, in the units people read (percent, major currency units). */
export function chartData(view: InsightsView) {
  const { insights, monthly } = view;
  const reasons = [...new Set(insights.byReason.map((r) => r.reason))];
  const providers = [...new Set(insights.byReason.map((r) => r.provider))];
  const currencies = [...new Set(monthly.flatMap((m) => Object.keys(m.recovered)))].sort();
  const percent = (value: number | null) => (value === null ? null : round(value * 100, 1));
  return {
    winRateByReason: {
      labels: reasons.map(words),
      datasets: providers.map((provider) => ({
        label: provider,
        data: reasons.map((reason) => percent(insights.byReason.find((r) => r.reason === reason && r.provider === provider)?.winRate ?? null)),
      })),
    },
    monthly: {
      labels: monthly.map((m) => m.month),
      disputes: monthly.map((m) => m.disputed),
      recovered: currencies.map((currency) => ({
        currency,
        data: monthly.map((m) => Number(minorToDecimal(m.recovered[currency] ?? 0, currency))),
      })),
    },
    completeness: {
      labels: insights.byCompleteness.map((b) => `${b.bucket}%`),
      data: insights.byCompleteness.map((b) => percent(b.winRate)),
    },
  };
}

/** JSON for the page's script, inert inside <script type="application/json">: no "<" can close the element. */
function dataBlock(data: unknown): SafeHtml {
  return raw(`<script type="application/json" id="insights-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
}

function filters(range: InsightsRange): SafeHtml {
  const query = new URLSearchParams({ from: range.from, to: range.to, ...(range.provider ? { provider: range.provider } : {}) });
  return html`<form class="filters" method="get" action="/insights" aria-label="Choose the disputes">
  <label for="from">Opened from<input id="from" name="from" type="date" value="${range.from}"></label>
  <label for="to">to<input id="to" name="to" type="date" value="${range.to}"></label>
  <label for="provider">Provider<select id="provider" name="provider">${['', ...PROVIDER_NAMES].map(
    (p) => html`<option value="${p}" ${p === (range.provider ?? '') ? html`selected` : ''}>${p || 'any'}</option>`,
  )}</select></label>
  <button type="submit">Show</button>
  <a class="button" href="/api/insights.csv?${query.toString()}" download>Download CSV</a>
</form>`;
}

export function insightsErrorPage(range: Partial<InsightsRange>, message: string): SafeHtml {
  return html`<h1>Insights</h1>
${filters({ from: range.from ?? '', to: range.to ?? '', provider: range.provider })}
<p class="flash error" role="alert">${message}</p>`;
}

export function insightsPage(view: InsightsView): SafeHtml {
  const { insights, monthly, range } = view;
  const { medianHours, onTimeRate } = insights.responseTime;
  return html`<h1>Insights</h1>
${filters(range)}
<p>Disputes opened ${insights.from} to ${insights.to} (UTC), ${range.provider ?? 'all providers'}. Amounts stay in their own currency.
Win rate is won ÷ (won + lost): accepted disputes are concessions and are left out.</p>
${dataBlock(chartData(view))}
<div class="charts">
  <figure><figcaption id="chart-reason-h">Win rate by reason</figcaption>
    <div class="chart"><canvas id="chart-reason" role="img" aria-labelledby="chart-reason-h" aria-describedby="table-reason-h"></canvas></div></figure>
  <figure><figcaption id="chart-monthly-h">Disputes and money recovered per month</figcaption>
    <div class="chart"><canvas id="chart-monthly" role="img" aria-labelledby="chart-monthly-h" aria-describedby="table-monthly-h"></canvas></div></figure>
  <figure><figcaption id="chart-completeness-h">Win rate by evidence completeness at submission</figcaption>
    <div class="chart"><canvas id="chart-completeness" role="img" aria-labelledby="chart-completeness-h" aria-describedby="table-completeness-h"></canvas></div></figure>
</div>

<section aria-labelledby="money-h"><h2 id="money-h">Money, per currency</h2>
${
  insights.currencies.length === 0
    ? html`<p>No disputes in this range.</p>`
    : html`<table id="table-money"><caption class="sr-only">Disputes and amounts per currency: count and amount of each outcome, fees and money recovered</caption>
<thead><tr><th scope="col">Currency</th><th scope="col">Disputed</th><th scope="col">Won</th><th scope="col">Lost</th><th scope="col">Accepted</th><th scope="col">Open</th><th scope="col">Expired</th><th scope="col">Fees</th><th scope="col">Recovered</th></tr></thead>
<tbody>${insights.currencies.map(
        (c) => html`<tr><th scope="row">${c.currency}</th>${[c.disputed, c.won, c.lost, c.accepted, c.open, c.expired].map(
          (t) => html`<td>${t.count} · ${money(t.amount, c.currency)}</td>`,
        )}<td>${money(c.fees.amount, c.currency)}</td><td>${money(c.recovered.amount, c.currency)}</td></tr>`,
      )}</tbody></table>`
}
</section>

<section aria-labelledby="response-h"><h2 id="response-h">Response time</h2>
<dl class="facts"><dt>Median time from opening to our response</dt><dd id="median-hours">${medianHours === null ? '—' : `${medianHours} h`}</dd>
<dt>Answered before the deadline</dt><dd id="on-time">${rate(onTimeRate)}</dd></dl>
</section>

<section aria-labelledby="table-reason-h"><h2 id="table-reason-h">Win rate by reason and provider</h2>
<table id="table-reason"><thead><tr><th scope="col">Reason</th><th scope="col">Provider</th><th scope="col">Won</th><th scope="col">Lost</th><th scope="col">Accepted</th><th scope="col">Win rate</th></tr></thead>
<tbody>${insights.byReason.map(
    (r) => html`<tr><th scope="row">${words(r.reason)}</th><td>${r.provider}</td><td>${r.won}</td><td>${r.lost}</td><td>${r.accepted}</td><td>${rate(r.winRate)}</td></tr>`,
  )}</tbody></table>
</section>

<section aria-labelledby="table-completeness-h"><h2 id="table-completeness-h">Win rate by evidence completeness at submission</h2>
<table id="table-completeness"><thead><tr><th scope="col">Completeness</th><th scope="col">Won</th><th scope="col">Lost</th><th scope="col">Win rate</th></tr></thead>
<tbody>${insights.byCompleteness.map(
    (b) => html`<tr><th scope="row">${b.bucket}%</th><td>${b.won}</td><td>${b.lost}</td><td>${rate(b.winRate)}</td></tr>`,
  )}</tbody></table>
</section>

<section aria-labelledby="table-monthly-h"><h2 id="table-monthly-h">Per month</h2>
<table id="table-monthly"><thead><tr><th scope="col">Month</th><th scope="col">Disputes opened</th><th scope="col">Recovered</th></tr></thead>
<tbody>${monthly.map(
    (m) => html`<tr><th scope="row">${m.month}</th><td>${m.disputed}</td><td>${
      Object.keys(m.recovered).length === 0
        ? '—'
        : Object.entries(m.recovered)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([currency, amount]) => money(amount, currency))
            .join(', ')
    }</td></tr>`,
  )}</tbody></table>
</section>
<script src="/assets/chart.umd.min.js" defer></script><script src="/assets/insights.js" defer></script>`;
}
