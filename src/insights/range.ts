import { z } from 'zod';
import type { Provider } from '../db/schema';

/** Which disputes the figures cover: opened on `from` through `to` (UTC calendar days, both included), one provider or all. */
export interface InsightsRange {
  /** YYYY-MM-DD */
  from: string;
  /** YYYY-MM-DD, included */
  to: string;
  provider?: Provider;
}

export const DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;

const day = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (isoDay: string, days: number) => day(new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY_MS));

// A blank value (an empty form field) means "not given".
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const isoDate = z.preprocess(blank, z.iso.date({ error: 'must be an ISO date such as 2026-11-25' }).optional());

/**
 * `?from=&to=&provider=` as the API, the dashboard and the CLI take it. Defaults: `to` today,
 * `from` so that the range spans the last 90 days. A bad value is a ZodError whose path names
 * the parameter (the HTTP layer answers 400 with it).
 */
/** `providers`: the names a `provider` filter may take (the registered provider modules). */
export function parseInsightsRange(query: unknown, now: Date, providers: readonly string[]): InsightsRange {
  return z
    .object({
      from: isoDate,
      to: isoDate,
      provider: z.preprocess(blank, z.enum(providers, { error: `must be one of ${providers.join(', ')}` }).optional()),
    })
    .transform((q, ctx) => {
      const to = q.to ?? day(now);
      const from = q.from ?? addDays(to, -(DEFAULT_DAYS - 1));
      if (from > to) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: `must not be after to (${to})` });
        return z.NEVER;
      }
      return { from, to, ...(q.provider ? { provider: q.provider } : {}) };
    })
    .parse(query);
}

/** The range as instants for SQL: [from 00:00Z, the day after `to` 00:00Z). */
export function rangeBounds(range: InsightsRange): { fromAt: Date; beforeAt: Date } {
  return { fromAt: new Date(`${range.from}T00:00:00Z`), beforeAt: new Date(`${addDays(range.to, 1)}T00:00:00Z`) };
}
