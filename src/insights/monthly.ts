import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/pool';
import { disputesInRange } from './base';
import type { DisputeFees } from './model';
import type { InsightsRange } from './range';

/** One calendar month (UTC) of the range: disputes opened that month, and per currency what they recovered. */
export interface MonthFigures {
  /** YYYY-MM */
  month: string;
  disputed: number;
  /** currency → won amount minus fees of the disputes opened that month, minor units */
  recovered: Record<string, number>;
}

const count = z.coerce.number().int();
const Row = z.object({
  month: z.string(),
  provider: z.string(),
  currency: z.string().nullable(),
  disputed: count,
  chargeable: count,
  won_amount: count,
});

/** The months of the range, first to last, each present even when empty; recovered as in computeInsights. */
export async function monthlyInsights(db: Db, range: InsightsRange, options: { fees: DisputeFees; now: Date }): Promise<MonthFigures[]> {
  const { rows } = await sql<unknown>`
    with base as (${disputesInRange(range, options.now)})
    select to_char(opened_at at time zone 'UTC', 'YYYY-MM') as month, provider, amount_currency as currency,
      count(*) as disputed, count(*) filter (where chargeable) as chargeable,
      coalesce(sum(amount_value) filter (where outcome = 'won'), 0) as won_amount
    from base group by 1, 2, 3`.execute(db);

  const months = new Map(monthsOf(range).map((month) => [month, { month, disputed: 0, recovered: {} as Record<string, number> }]));
  const add = (figures: MonthFigures, currency: string, amount: number) => {
    figures.recovered[currency] = (figures.recovered[currency] ?? 0) + amount;
  };
  for (const row of z.array(Row).parse(rows)) {
    const figures = months.get(row.month)!;
    figures.disputed += row.disputed;
    if (row.currency) add(figures, row.currency, row.won_amount);
    const fee = options.fees[row.provider];
    if (fee && fee.value !== 0 && row.chargeable > 0) add(figures, fee.currency, -fee.value * row.chargeable);
  }
  return [...months.values()];
}

function monthsOf(range: InsightsRange): string[] {
  const months: string[] = [];
  let [year, month] = range.from.split('-').map(Number) as [number, number];
  const last = range.to.slice(0, 7);
  for (;;) {
    const label = `${year}-${String(month).padStart(2, '0')}`;
    months.push(label);
    if (label >= last) return months;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}
