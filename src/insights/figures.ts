import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/pool';
import type { Database } from '../db/schema';
import { disputesInRange } from './base';
import {
  COMPLETENESS_BUCKETS,
  round,
  winRate,
  type CurrencyFigures,
  type DisputeFees,
  type Insights,
  type ReasonFigures,
  type Tally,
} from './model';
import type { InsightsRange } from './range';

const count = z.coerce.number().int();
const Group = z.object({
  currency: z.string().nullable(),
  reason: z.string(),
  provider: z.string(),
  chargeable: z.boolean(),
  outcome: z.enum(['won', 'lost', 'accepted', 'closed', 'open']),
  expired: z.boolean(),
  bucket: z.enum(COMPLETENESS_BUCKETS).nullable(),
  disputes: count,
  amount: count,
});
type Group = z.infer<typeof Group>;
const Row = z.object({
  groups: z.array(Group),
  response: z.object({ median_hours: z.number().nullable(), on_time: count, due_decided: count }),
});

/**
 * Every figure of the Insights contract, from SQL over disputes and their sent submissions: the
 * disputes of the range counted in small groups (currency × reason × provider × outcome × …),
 * added up here, and the response times.
 * Fees come from DISPUTE_FEES: each provider's fee for every chargeable dispute (past the inquiry
 * stage), in the fee's own currency; recovered = won amount - fees, per currency.
 */
export async function computeInsights(db: Db, range: InsightsRange, options: { fees: DisputeFees; now: Date }): Promise<Insights> {
  const disputes = disputesInRange(range, options.now);
  // Two statements at once, each on its own connection: on two cores they run side by side.
  const [groups, response] = await Promise.all([
    withMemory(db, (trx) =>
      sql<unknown>`
        select amount_currency as currency, reason, provider, chargeable, outcome, expired,
          case when completeness is null then null when completeness < 0.25 then '0-25' when completeness < 0.5 then '25-50'
               when completeness < 0.75 then '50-75' else '75-100' end as bucket,
          count(*) as disputes, coalesce(sum(amount_value), 0) as amount
        from (${disputes}) d group by 1, 2, 3, 4, 5, 6, 7`.execute(trx),
    ),
    withMemory(db, (trx) =>
      sql<unknown>`
        select percentile_cont(0.5) within group (order by extract(epoch from responded_at - opened_at) / 3600) as median_hours,
          count(*) filter (where due_by is not null and responded_at <= due_by) as on_time,
          count(*) filter (where due_by is not null and (responded_at is not null or expired)) as due_decided
        from (${disputes}) d`.execute(trx),
    ),
  ]);
  const row = Row.parse({ groups: groups.rows, response: response.rows[0] });

  return {
    from: range.from,
    to: range.to,
    currencies: currencyFigures(row.groups, options.fees),
    byReason: reasonFigures(row.groups),
    byCompleteness: COMPLETENESS_BUCKETS.map((bucket) => {
      const mine = row.groups.filter((g) => g.bucket === bucket);
      const [won, lost] = [sumOf(mine, 'won'), sumOf(mine, 'lost')];
      return { bucket, won, lost, winRate: winRate(won, lost) };
    }),
    responseTime: {
      medianHours: row.response.median_hours === null ? null : round(row.response.median_hours, 2),
      onTimeRate: row.response.due_decided === 0 ? null : round(row.response.on_time / row.response.due_decided, 4),
    },
  };
}

/** A statement with room to hash 100k disputes in memory rather than in temporary files. */
function withMemory<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '32MB'`.execute(trx);
    return work(trx);
  });
}

const sumOf = (groups: Group[], outcome: Group['outcome']) => groups.filter((g) => g.outcome === outcome).reduce((n, g) => n + g.disputes, 0);

function currencyFigures(groups: Group[], fees: DisputeFees): CurrencyFigures[] {
  const currencies = new Map<string, CurrencyFigures>();
  const of = (currency: string) => {
    if (!currencies.has(currency)) currencies.set(currency, emptyCurrency(currency));
    return currencies.get(currency)!;
  };
  const add = (tally: Tally, g: Group) => {
    tally.count += g.disputes;
    tally.amount += g.amount;
  };
  for (const g of groups) {
    if (g.currency) {
      const figures = of(g.currency);
      add(figures.disputed, g);
      if (g.outcome !== 'closed') add(figures[g.outcome], g);
      if (g.expired) add(figures.expired, g);
    }
    const fee = fees[g.provider];
    if (g.chargeable && fee && fee.value !== 0) of(fee.currency).fees.amount += fee.value * g.disputes;
  }
  for (const figures of currencies.values()) figures.recovered.amount = figures.won.amount - figures.fees.amount;
  return [...currencies.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

function reasonFigures(groups: Group[]): ReasonFigures[] {
  const rows = new Map<string, Omit<ReasonFigures, 'winRate'>>();
  for (const g of groups) {
    const key = `${g.reason}\u0000${g.provider}`;
    const row = rows.get(key) ?? { reason: g.reason, provider: g.provider, won: 0, lost: 0, accepted: 0 };
    if (g.outcome === 'won' || g.outcome === 'lost' || g.outcome === 'accepted') row[g.outcome] += g.disputes;
    rows.set(key, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => ({ ...r, winRate: winRate(r.won, r.lost) }));
}

function emptyCurrency(currency: string): CurrencyFigures {
  const none = (): Tally => ({ count: 0, amount: 0 });
  return { currency, disputed: none(), won: none(), lost: none(), accepted: none(), open: none(), expired: none(), fees: { amount: 0 }, recovered: { amount: 0 } };
}
