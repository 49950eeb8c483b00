import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/pool';
import { minorToDecimal } from '../money';
import { disputesInRange } from './base';
import { feeOf, type DisputeFees } from './model';
import type { InsightsRange } from './range';

export const CSV_COLUMNS = [
  'provider',
  'dispute_id',
  'provider_dispute_id',
  'provider_payment_id',
  'order_id',
  'reason',
  'stage',
  'amount',
  'currency',
  'fee',
  'fee_currency',
  'opened_at',
  'due_by',
  'responded_at',
  'outcome',
  'expired',
  'completeness_at_submission',
] as const;

const instant = z.coerce.date().nullable().transform((d) => d?.toISOString() ?? '');
const Row = z.object({
  id: z.string(),
  provider: z.string(),
  provider_dispute_id: z.string(),
  provider_payment_id: z.string().nullable(),
  order_id: z.string().nullable(),
  reason: z.string(),
  stage: z.string(),
  amount_value: z.coerce.number().int().nullable(),
  amount_currency: z.string().nullable(),
  opened_at: instant,
  due_by: instant,
  responded_at: instant,
  outcome: z.string(),
  expired: z.boolean(),
  chargeable: z.boolean(),
  completeness: z.number().nullable(),
});

/** A value as a spreadsheet reads it: quoted when needed, and never taken for a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * GET /api/insights.csv: one line per dispute opened in the range, oldest first, after a header.
 * Amounts in the currency's decimal notation (45.99, 5000 for JPY); instants ISO-8601 UTC;
 * completeness 0..1 of the packet the first evidence submission sent, blank when none was sent.
 */
export async function insightsCsv(db: Db, range: InsightsRange, options: { fees: DisputeFees; now: Date }): Promise<string> {
  const { rows } = await sql<unknown>`
    with base as (${disputesInRange(range, options.now)}) select * from base order by opened_at, id`.execute(db);
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of z.array(Row).parse(rows)) {
    const fee = feeOf(options.fees, row.provider, row.chargeable);
    const amount = row.amount_value !== null && row.amount_currency ? minorToDecimal(row.amount_value, row.amount_currency) : '';
    const line = [
      row.provider,
      row.id,
      row.provider_dispute_id,
      row.provider_payment_id ?? '',
      row.order_id ?? '',
      row.reason,
      row.stage,
      amount,
      row.amount_currency ?? '',
      fee ? minorToDecimal(fee.value, fee.currency) : '0',
      fee?.currency ?? '',
      row.opened_at,
      row.due_by,
      row.responded_at,
      row.outcome,
      String(row.expired),
      row.completeness === null ? '' : String(Math.round(row.completeness * 100) / 100),
    ];
    lines.push(line.map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
