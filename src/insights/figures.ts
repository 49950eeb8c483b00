import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/pool';
import { PROVIDERS } from '../db/schema';
import { disputesInRange } from './base';
import {
  COMPLETENESS_BUCKETS,
  round,
  winRate,
  type CurrencyFigures,
  type DisputeFees,
  type Insights,
  type Tally,
} from './model';
import type { InsightsRange } from './range';

const count = z.coerce.number().int();
const tally = z.object({ count, amount: count });
const Row = z.object({
  currencies: z.array(
    z.object({ currency: z.string(), disputed: tally, won: tally, lost: tally, accepted: tally, open: tally, expired: tally }),
  ),
  by_reason: z.array(z.object({ reason: z.string(), provider: z.enum(PROVIDERS), won: count, lost: count, accepted: count })),
  by_completeness: z.array(z.object({ bucket: z.enum(COMPLETENESS_BUCKETS), won: count, lost: count })),
  response: z.object({ median_hours: z.number().nullable(), on_time: count, due_decided: count }),
  chargeable: z.array(z.object({ provider: z.enum(PROVIDERS), disputes: count })),
});

const outcomeTally = (outcome: string) =>
  sql`json_build_object('count', count(*) filter (where outcome = ${outcome}), 'amount', coalesce(sum(amount_value) filter (where outcome = ${outcome}), 0))`;

/**
 * Every figure of the Insights contract in one statement over disputes, submissions and packets.
 * Fees come from DISPUTE_FEES: each provider's fee for every dispute that went past the inquiry
 * stage, counted in the fee's own currency; recovered = won amount - fees, per currency.
 */
export async function computeInsights(db: Db, range: InsightsRange, options: { fees: DisputeFees; now: Date }): Promise<Insights> {
  const { rows } = await sql<unknown>`
    with base as materialized (${disputesInRange(range, options.now)})
    select
      (select coalesce(json_agg(c order by c.currency), '[]') from (
        select amount_currency as currency,
          json_build_object('count', count(*), 'amount', coalesce(sum(amount_value), 0)) as disputed,
          ${outcomeTally('won')} as won, ${outcomeTally('lost')} as lost,
          ${outcomeTally('accepted')} as accepted, ${outcomeTally('open')} as open,
          json_build_object('count', count(*) filter (where expired), 'amount', coalesce(sum(amount_value) filter (where expired), 0)) as expired
        from base where amount_currency is not null and amount_value is not null group by amount_currency) c) as currencies,
      (select coalesce(json_agg(r order by r.reason, r.provider), '[]') from (
        select reason, provider,
          count(*) filter (where outcome = 'won') as won, count(*) filter (where outcome = 'lost') as lost,
          count(*) filter (where outcome = 'accepted') as accepted
        from base group by reason, provider) r) as by_reason,
      (select coalesce(json_agg(b), '[]') from (
        select case when completeness < 0.25 then '0-25' when completeness < 0.5 then '25-50'
                    when completeness < 0.75 then '50-75' else '75-100' end as bucket,
          count(*) filter (where outcome = 'won') as won, count(*) filter (where outcome = 'lost') as lost
        from base where completeness is not null group by 1) b) as by_completeness,
      (select json_build_object(
        'median_hours', percentile_cont(0.5) within group (order by extract(epoch from responded_at - opened_at) / 3600),
        'on_time', count(*) filter (where due_by is not null and responded_at <= due_by),
        'due_decided', count(*) filter (where due_by is not null and (responded_at is not null or expired)))
        from base) as response,
      (select coalesce(json_agg(f), '[]') from (
        select provider, count(*) as disputes from base where chargeable group by provider) f) as chargeable
  `.execute(db);
  const row = Row.parse(rows[0]);

  const currencies = new Map<string, CurrencyFigures>(row.currencies.map((c) => [c.currency, { ...c, fees: { amount: 0 }, recovered: { amount: 0 } }]));
  for (const { provider, disputes } of row.chargeable) {
    const fee = options.fees[provider];
    if (!fee || fee.value === 0) continue;
    const figures = currencies.get(fee.currency) ?? emptyCurrency(fee.currency);
    figures.fees.amount += fee.value * disputes;
    currencies.set(fee.currency, figures);
  }
  for (const figures of currencies.values()) figures.recovered.amount = figures.won.amount - figures.fees.amount;

  const buckets = new Map(row.by_completeness.map((b) => [b.bucket, b]));
  return {
    from: range.from,
    to: range.to,
    currencies: [...currencies.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    byReason: row.by_reason.map((r) => ({ ...r, winRate: winRate(r.won, r.lost) })),
    byCompleteness: COMPLETENESS_BUCKETS.map((bucket) => {
      const { won = 0, lost = 0 } = buckets.get(bucket) ?? {};
      return { bucket, won, lost, winRate: winRate(won, lost) };
    }),
    responseTime: {
      medianHours: row.response.median_hours === null ? null : round(row.response.median_hours, 2),
      onTimeRate: row.response.due_decided === 0 ? null : round(row.response.on_time / row.response.due_decided, 4),
    },
  };
}

function emptyCurrency(currency: string): CurrencyFigures {
  const none = (): Tally => ({ count: 0, amount: 0 });
  return { currency, disputed: none(), won: none(), lost: none(), accepted: none(), open: none(), expired: none(), fees: { amount: 0 }, recovered: { amount: 0 } };
}
