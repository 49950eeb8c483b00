import type { Queue } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db/pool';
import type { Dispute } from '../disputes/model';
import { findDispute } from '../disputes/repository';
import type { Logger } from '../log';
import { publishDisputeChange, type DisputeChangeQueues } from '../queue/dispute-changes';
import { whyNoResponse } from '../submission/model';
import { requestResponse, ResponseRefused } from '../submission/request';
import { recommend, type Recommendation } from './recommend';

export type ResolutionSettings = Config['resolution'];

const Stored = z.object({
  action: z.enum(['fight', 'accept', 'offer', 'refund']),
  winProbability: z.number(),
  expectedRecovery: z.object({ value: z.number(), currency: z.string() }),
  costs: z.object({ value: z.number(), currency: z.string() }),
  reasons: z.array(z.string()),
});

/** The merchant's decided fights of this reason on this provider (an acceptance is not a fight). */
async function historyFor(db: Db, dispute: Dispute): Promise<{ won: number; lost: number }> {
  const rows = await db
    .selectFrom('disputes')
    .select(['outcome', (eb) => eb.fn.countAll<string>().as('n')])
    .where('provider', '=', dispute.provider)
    .where('reason', '=', dispute.reason)
    .where('outcome', 'in', ['won', 'lost'])
    .groupBy('outcome')
    .execute();
  const count = (outcome: string) => Number(rows.find((r) => r.outcome === outcome)?.n ?? 0);
  return { won: count('won'), lost: count('lost') };
}

/** The recommendation for the dispute as given; only for one that takes a response and has an amount. */
async function recommendationOf(db: Db, dispute: Dispute & { amount: NonNullable<Dispute['amount']> }, settings: ResolutionSettings): Promise<Recommendation> {
  return recommend(
    {
      provider: dispute.provider,
      reason: dispute.reason,
      stage: dispute.stage,
      amount: dispute.amount,
      completeness: dispute.evidence.completeness,
      missing: dispute.evidence.missing,
      history: await historyFor(db, dispute),
    },
    settings,
  );
}

const takesRecommendation = (dispute: Dispute, now: Date): dispute is Dispute & { amount: NonNullable<Dispute['amount']> } =>
  !whyNoResponse(dispute, now) && Boolean(dispute.amount);

/** Computes the dispute's recommendation now and stores it; null (and nothing stored) once it takes no response. */
export async function refreshRecommendation(db: Db, dispute: Dispute, settings: ResolutionSettings, now = new Date()): Promise<Recommendation | null> {
  if (!takesRecommendation(dispute, now)) {
    await db.deleteFrom('recommendations').where('dispute_id', '=', dispute.id).execute();
    return null;
  }
  const recommendation = await recommendationOf(db, dispute, settings);
  const data = JSON.stringify(recommendation);
  await db
    .insertInto('recommendations')
    .values({ dispute_id: dispute.id, data, computed_at: now })
    .onConflict((oc) => oc.column('dispute_id').doUpdateSet({ data, computed_at: now }))
    .execute();
  return recommendation;
}

/**
 * The stored recommendation of each dispute, null once it no longer takes a response; one never
 * computed (a dispute older than this feature) is computed and stored on first read. That one is
 * stored only if there is still none: the reader's copy of the dispute may be older than the one
 * the workers computed theirs from meanwhile, and theirs is kept.
 */
export async function recommendationsFor(db: Db, disputes: Dispute[], settings: ResolutionSettings, now = new Date()): Promise<Map<string, Recommendation | null>> {
  const answerable = disputes.filter((d) => takesRecommendation(d, now));
  const storedOf = async (ids: string[]) => {
    const rows = ids.length ? await db.selectFrom('recommendations').select(['dispute_id', 'data']).where('dispute_id', 'in', ids).execute() : [];
    return new Map(rows.map((r) => [r.dispute_id, Stored.parse(r.data) as Recommendation]));
  };
  const stored = await storedOf(answerable.map((d) => d.id));
  const result = new Map<string, Recommendation | null>(disputes.map((d) => [d.id, null]));
  for (const dispute of answerable) {
    let recommendation = stored.get(dispute.id);
    if (!recommendation) {
      const computed = await recommendationOf(db, dispute, settings);
      const kept = await db
        .insertInto('recommendations')
        .values({ dispute_id: dispute.id, data: JSON.stringify(computed), computed_at: now })
        .onConflict((oc) => oc.column('dispute_id').doNothing())
        .returning('dispute_id')
        .executeTakeFirst();
      recommendation = kept ? computed : (await storedOf([dispute.id])).get(dispute.id);
    }
    result.set(dispute.id, recommendation ?? null);
  }
  return result;
}

/**
 * On every change of an open dispute (its packet above all): the recommendation is computed
 * again, and in auto mode a dispute whose expected recovery is below AUTO_ACCEPT_BELOW is
 * accepted, always with a staff alert. True when it was accepted (nothing else to do then).
 */
export async function autoResolve(
  deps: { db: Db; log: Logger; submissions: Queue; queues: DisputeChangeQueues; resolution: ResolutionSettings },
  disputeId: string,
  now = new Date(),
): Promise<boolean> {
  const dispute = await findDispute(deps.db, disputeId);
  if (!dispute) return false;
  const recommendation = await refreshRecommendation(deps.db, dispute, deps.resolution, now);
  const below = deps.resolution.autoAcceptBelow;
  if (deps.resolution.mode !== 'auto' || !below || !recommendation || recommendation.action !== 'accept') return false;
  const recovery = recommendation.expectedRecovery;
  if (recovery.currency !== below.currency || recovery.value >= below.value) return false;
  try {
    await requestResponse({ db: deps.db, submissions: deps.submissions }, { disputeId, kind: 'accept', requestedBy: 'auto', now });
  } catch (err) {
    if (err instanceof ResponseRefused) return false;
    throw err;
  }
  await publishDisputeChange(deps.queues, { disputeId, change: 'auto_accepted', at: now.toISOString() });
  deps.log.info({ disputeId, expectedRecovery: recovery }, 'accepted automatically: expected recovery below AUTO_ACCEPT_BELOW');
  return true;
}
