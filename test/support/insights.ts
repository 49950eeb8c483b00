import type { Db } from '../../src/db/pool';
import type { Provider } from '../../src/db/schema';
import { fixtureJson } from './fixtures';

interface FixtureDispute {
  provider: Provider;
  providerDisputeId: string;
  providerPaymentId: string;
  orderId: string | null;
  amount: { value: number; currency: string };
  reason: string;
  stage: string;
  status: string;
  openedAt: string;
  dueBy: string;
  closedAt: string | null;
  packets: Array<{ completeness: number; createdAt: string }>;
  submissions: Array<{ kind: 'submit' | 'accept'; status: 'sent' | 'failed'; requestedBy: 'staff' | 'auto'; sentAt: string | null; createdAt: string }>;
}

interface InsightsFixture {
  anchor: string;
  fees: string;
  disputes: FixtureDispute[];
}

const DAY_MS = 86_400_000;
export const INSIGHTS_FIXTURE = fixtureJson<InsightsFixture>('insights/disputes.json');

/** Whole days from the fixture's anchor day to today's (UTC), so that the anchor's day is today. */
export function fixtureShiftMs(now = new Date()): number {
  const day = (ms: number) => Math.floor(ms / DAY_MS);
  return (day(now.getTime()) - day(Date.parse(INSIGHTS_FIXTURE.anchor))) * DAY_MS;
}

/** The dates a fixture instant lands on after the shift, YYYY-MM-DD. */
export const shiftedDay = (iso: string, shiftMs: number) => new Date(Date.parse(iso) + shiftMs).toISOString().slice(0, 10);

/**
 * The disputes of fixtures/insights/disputes.json as the pipeline leaves them: the dispute row,
 * every packet gathered (immutable, with its time) and every submission with its result.
 */
export async function loadInsightsFixture(db: Db, shiftMs: number, disputes = INSIGHTS_FIXTURE.disputes): Promise<void> {
  const at = (iso: string | null) => (iso === null ? null : new Date(Date.parse(iso) + shiftMs));
  for (const d of disputes) {
    const lastPacket = d.packets.at(-1);
    const firstSubmit = d.submissions.find((s) => s.kind === 'submit' && s.status === 'sent');
    const { id } = await db
      .insertInto('disputes')
      .values({
        provider: d.provider,
        provider_dispute_id: d.providerDisputeId,
        provider_payment_id: d.providerPaymentId,
        order_id: d.orderId,
        amount_value: d.amount.value,
        amount_currency: d.amount.currency,
        reason: d.reason,
        provider_reason: d.reason,
        status: d.status,
        provider_status: d.status,
        stage: d.stage,
        due_by: at(d.dueBy),
        opened_at: at(d.openedAt)!,
        updated_at: at(d.closedAt ?? d.openedAt)!,
        closed_at: at(d.closedAt),
        outcome: ['won', 'lost', 'accepted'].includes(d.status) ? d.status : null,
        evidence_completeness: lastPacket?.completeness ?? 0,
        submitted_at: at(firstSubmit?.sentAt ?? null),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, p] of d.packets.entries()) {
      const packet = { disputeId: id, reason: d.reason, completeness: p.completeness, missing: [], items: [] };
      await db.insertInto('packets').values({ dispute_id: id, hash: `fixture-${i}`, packet: JSON.stringify(packet), created_at: at(p.createdAt)! }).execute();
    }
    for (const s of d.submissions) {
      await db
        .insertInto('submissions')
        .values({ dispute_id: id, kind: s.kind, requested_by: s.requestedBy, created_at: at(s.createdAt)! })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(({ id: submissionId }) =>
          db
            .updateTable('submissions')
            .set({
              status: s.status,
              sent_at: at(s.sentAt),
              attempts: 1,
              error: s.status === 'failed' ? 'stripe answered 400: evidence too large' : null,
              // What the sending recorded: the newest packet stored by then.
              completeness: s.kind === 'submit' && s.sentAt ? (d.packets.filter((p) => Date.parse(p.createdAt) <= Date.parse(s.sentAt!)).at(-1)?.completeness ?? null) : null,
            })
            .where('id', '=', submissionId)
            .execute(),
        );
    }
  }
}
