import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Chart.js from node_modules, served by us as /assets/chart.umd.min.js: the page's
 * Content-Security-Policy (script-src 'self') allows no CDN, and Chart.js needs no inline code.
 */
export const CHART_JS_PATH = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

let chartJs: string | undefined;
export function chartJsSource(): string {
  chartJs ??= readFileSync(CHART_JS_PATH, 'utf8');
  return chartJs;
}

/** Draws the Insights charts from the page's JSON block (no inline script, no network). */
export const INSIGHTS_SCRIPT = `
(function () {
  'use strict';
  var block = document.getElementById('insights-data');
  if (!block || !window.Chart) return;
  var data = JSON.parse(block.textContent);
  var palette = ['#0b57d0', '#b3261e', '#1e8e3e', '#8a5300', '#6f42c1', '#00796b'];
  var percentAxis = { min: 0, max: 100, ticks: { callback: function (v) { return v + '%'; } } };
  Chart.defaults.animation = false; // drawn at once: nothing moves for people who asked for less motion, screenshots are complete
  Chart.defaults.maintainAspectRatio = false;

  new Chart(document.getElementById('chart-reason'), {
    type: 'bar',
    data: {
      labels: data.winRateByReason.labels,
      datasets: data.winRateByReason.datasets.map(function (d, i) {
        return { label: d.label, data: d.data, backgroundColor: palette[i % palette.length] };
      })
    },
    options: { scales: { y: percentAxis } }
  });

  new Chart(document.getElementById('chart-monthly'), {
    type: 'line',
    data: {
      labels: data.monthly.labels,
      datasets: [{ label: 'disputes opened', data: data.monthly.disputes, yAxisID: 'count', borderColor: '#57606a', backgroundColor: '#57606a' }]
        .concat(data.monthly.recovered.map(function (d, i) {
          var color = palette[(i + 2) % palette.length];
          return { label: 'recovered (' + d.currency + ')', data: d.data, yAxisID: 'amount', borderColor: color, backgroundColor: color };
        }))
    },
    options: {
      scales: {
        count: { position: 'left', beginAtZero: true, title: { display: true, text: 'disputes' }, ticks: { precision: 0 } },
        amount: { position: 'right', title: { display: true, text: 'recovered, each in its currency' }, grid: { drawOnChartArea: false } }
      }
    }
  });

  new Chart(document.getElementById('chart-completeness'), {
    type: 'bar',
    data: { labels: data.completeness.labels, datasets: [{ label: 'win rate', data: data.completeness.data, backgroundColor: palette[2] }] },
    options: { scales: { y: percentAxis }, plugins: { legend: { display: false } } }
  });
})();
`;
