import { sql, type RawBuilder } from 'kysely';
import { rangeBounds, type InsightsRange } from './range';

/**
 * One row per dispute opened in the range, with what the figures are made of:
 * - `responded_at`: the first response (evidence or acceptance) the provider received from us;
 * - `submitted_at`: the first evidence submission sent;
 * - `completeness`: the completeness of the packet that submission sent, i.e. the newest packet
 *   stored at or before it (packets are immutable; later ones do not rewrite history);
 * - `chargeable`: it went past the inquiry stage, so the provider charges its dispute fee;
 * - `outcome`: won, lost, accepted, closed, or open while the provider has not decided;
 * - `expired`: the deadline passed with no response, and the dispute was lost for it or still
 *   waits (one answered elsewhere, withdrawn or won anyway did not expire).
 * Read at the moment of the query: nothing is cached.
 */
export function disputesInRange(range: InsightsRange, now: Date): RawBuilder<unknown> {
  const { fromAt, beforeAt } = rangeBounds(range);
  const provider = range.provider ? sql`and d.provider = ${range.provider}` : sql``;
  return sql`
    select d.id, d.provider, d.provider_dispute_id, d.provider_payment_id, d.order_id, d.reason, d.stage, d.status,
      d.amount_value, d.amount_currency, d.opened_at, d.due_by, r.responded_at, r.submitted_at,
      d.stage <> 'inquiry' as chargeable,
      case when d.status in ('won', 'lost', 'accepted', 'closed') then d.status else 'open' end as outcome,
      coalesce(d.due_by < ${now} and r.responded_at is null and d.status in ('needs_response', 'lost'), false) as expired,
      case when r.submitted_at is not null then coalesce(
        (select p.completeness from packets p
          where p.dispute_id = d.id and p.created_at <= r.submitted_at
          order by p.created_at desc limit 1),
        d.evidence_completeness) end as completeness
    from disputes d
    left join lateral (
      select coalesce(min(s.sent_at), d.submitted_at) as responded_at,
        coalesce(min(s.sent_at) filter (where s.kind = 'submit'), d.submitted_at) as submitted_at
      from submissions s where s.dispute_id = d.id and s.status = 'sent'
    ) r on true
    where d.opened_at >= ${fromAt} and d.opened_at < ${beforeAt} ${provider}`;
}
