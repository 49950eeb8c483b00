import { PROVIDER_NAMES } from '../providers';
import { Command } from 'commander';
import { ZodError } from 'zod';
import { computeInsights } from '../insights/figures';
import { round, type Insights, type Tally } from '../insights/model';
import { parseInsightsRange, type InsightsRange } from '../insights/range';
import { formatMoney } from '../money';
import { CliError, cliConfig, print, table, withDb } from './context';

const rate = (value: number | null) => (value === null ? '-' : `${round(value * 100, 1)}%`);

/** The figures of GET /api/insights as terminal tables: money per currency, win rates, response time. */
export function reportText(insights: Insights, range: InsightsRange): string {
  const money = (amount: number, currency: string) => formatMoney({ value: amount, currency });
  const tally = (t: Tally, currency: string) => `${t.count} ${money(t.amount, currency)}`;
  const sections = [
    `Disputes opened ${insights.from} to ${insights.to}, ${range.provider ?? 'all providers'} (amounts per currency, never added across)`,
    insights.currencies.length === 0
      ? 'no disputes'
      : table([
          ['currency', 'disputed', 'won', 'lost', 'accepted', 'open', 'expired', 'fees', 'recovered'],
          ...insights.currencies.map((c) => [
            c.currency,
            ...[c.disputed, c.won, c.lost, c.accepted, c.open, c.expired].map((t) => tally(t, c.currency)),
            money(c.fees.amount, c.currency),
            money(c.recovered.amount, c.currency),
          ]),
        ]),
    'Win rate by reason (won / (won + lost); accepted disputes are concessions, left out)',
    insights.byReason.length === 0
      ? 'no disputes'
      : table([
          ['reason', 'provider', 'won', 'lost', 'accepted', 'win rate'],
          ...insights.byReason.map((r) => [r.reason, r.provider, String(r.won), String(r.lost), String(r.accepted), rate(r.winRate)]),
        ]),
    'Win rate by evidence completeness at submission',
    table([
      ['completeness', 'won', 'lost', 'win rate'],
      ...insights.byCompleteness.map((b) => [`${b.bucket}%`, String(b.won), String(b.lost), rate(b.winRate)]),
    ]),
    `Response time: median ${insights.responseTime.medianHours === null ? '-' : `${insights.responseTime.medianHours} h`} from opening; answered before the deadline ${rate(insights.responseTime.onTimeRate)}`,
  ];
  return sections.join('\n\n');
}

export const reportCommand = () =>
  new Command('report')
    .description('win rate, money recovered and response time, per currency, reason and provider (as GET /api/insights)')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: 90 days before --to)')
    .option('--to <date>', 'last day, YYYY-MM-DD, included (default: today, UTC)')
    .option('--provider <name>', 'stripe, paypal or square (default: all)')
    .action(async (options: { from?: string; to?: string; provider?: string }) => {
      const config = cliConfig();
      const now = new Date();
      let range: InsightsRange;
      try {
        range = parseInsightsRange(options, now, PROVIDER_NAMES);
      } catch (err) {
        if (!(err instanceof ZodError)) throw err;
        const issue = err.issues[0]!;
        throw new CliError(`--${String(issue.path[0])} ${issue.message}`);
      }
      const insights = await withDb(config, (db) => computeInsights(db, range, { fees: config.resolution.disputeFees, now }));
      print(reportText(insights, range));
    });
