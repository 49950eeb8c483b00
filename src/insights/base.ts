import { sql, type RawBuilder } from 'kysely';
import { rangeBounds, type InsightsRange } from './range';

/**
 * One row per dispute opened in the range, with what the figures are made of:
 * - `responded_at`: when our response (evidence or acceptance) was sent to the provider;
 * - `completeness`: the completeness of the packet an evidence submission sent, recorded on the
 *   submission when it was sent (0014), else the dispute's;
 * - `chargeable`: it went past the inquiry stage, so the provider charges its dispute fee;
 * - `outcome`: won, lost, accepted, closed, or open while the provider has not decided;
 * - `expired`: the deadline passed with no response, and the dispute was lost for it or still
 *   waits (one answered elsewhere, withdrawn or won anyway did not expire).
 * Read at the moment of the query: nothing is cached.
 *
 * A dispute has at most one sent response: the unique index submissions_one_response_per_dispute
 * (0011) allows one sent evidence or acceptance per dispute (offers and messages are not
 * responses). So the join needs no grouping.
 *
 * One pass over the disputes in range and their sent responses: nothing per dispute is searched.
 */
export function disputesInRange(range: InsightsRange, now: Date): RawBuilder<unknown> {
  const { fromAt, beforeAt } = rangeBounds(range);
  const provider = range.provider ? sql`and d.provider = ${range.provider}` : sql``;
  return sql`
    select d.id, d.provider, d.provider_dispute_id, d.provider_payment_id, d.order_id, d.reason, d.stage, d.status,
      d.amount_value, d.amount_currency, d.opened_at, d.due_by,
      coalesce(r.sent_at, d.submitted_at) as responded_at,
      d.stage <> 'inquiry' as chargeable,
      case when d.status in ('won', 'lost', 'accepted', 'closed') then d.status else 'open' end as outcome,
      coalesce(d.due_by < ${now} and r.sent_at is null and d.submitted_at is null and d.status in ('needs_response', 'lost'), false) as expired,
      case when r.kind = 'submit' or d.submitted_at is not null then coalesce(r.completeness, d.evidence_completeness) end as completeness
    from disputes d
    left join submissions r on r.dispute_id = d.id and r.status = 'sent' and r.kind in ('submit', 'accept')
    where d.opened_at >= ${fromAt} and d.opened_at < ${beforeAt} ${provider}`;
}
