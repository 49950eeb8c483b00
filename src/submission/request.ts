import type { Queue } from 'bullmq';
import { isUuid } from '../db/ids';
import type { Db } from '../db/pool';
import { toDispute } from '../disputes/repository';
import { NotFound, QueueUnavailable, Refused } from '../errors';
import { withTimeout } from '../time';
import { FINAL_KINDS, whyNoResponse, type RequestedBy, type Submission, type SubmissionKind } from './model';
import { insertSubmission, liveSubmissions } from './repository';

export const SEND_JOB = 'submission.send';

/** A dispute that does not take this response now: answered 409 by the API. */
export class ResponseRefused extends Refused {
  constructor(reason: string) {
    super('dispute_not_answerable', reason);
    this.name = 'ResponseRefused';
  }
}

/** JSON with keys sorted: PostgreSQL's jsonb gives keys back in its own order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same action asked again: same kind and the same request (an offer, a message) as one still live. */
const sameAsk = (live: Submission, kind: SubmissionKind, request: Record<string, unknown>) =>
  live.kind === kind && canonicalJson(live.request) === canonicalJson(request);

/**
 * An offer or message already asked for with the same content, on its way or sent: asking twice
 * answers it again, before the provider is asked whether it would take a new one.
 */
export async function findSameAsk(db: Db, disputeId: string, kind: SubmissionKind, request: Record<string, unknown>): Promise<Submission | undefined> {
  if (FINAL_KINDS.includes(kind)) return undefined;
  return (await liveSubmissions(db, disputeId)).find((s) => sameAsk(s, kind, request));
}

/**
 * Why this dispute cannot take this action now, given its live submissions; undefined when it can.
 * Evidence and acceptance are final: one of them, once. Offers and messages may come before them,
 * one action in flight at a time.
 */
function whyRefused(live: Submission[], kind: SubmissionKind, dispute: ReturnType<typeof toDispute>, now: Date): string | undefined {
  const inFlight = live.find((s) => s.status !== 'sent');
  if (inFlight) return `a ${inFlight.kind} is already under way`;
  const final = live.find((s) => FINAL_KINDS.includes(s.kind));
  if (final) return `a ${final.kind} was already sent`;
  if (FINAL_KINDS.includes(kind)) return whyNoResponse(dispute, now);
  return ['needs_response', 'under_review'].includes(dispute.status) ? undefined : `the dispute is ${dispute.status.replace('_', ' ')}`;
}

/**
 * Asks for a submission (or acceptance, offer, message) of a dispute. Under the dispute's row
 * lock, so ten concurrent calls make one submission: the first creates it, the others get the
 * same one back. `refuse` builds the 409 (offers and messages answer `action_not_allowed`).
 */
export async function requestResponse(
  deps: { db: Db; submissions: Queue },
  input: {
    disputeId: string;
    kind: SubmissionKind;
    requestedBy: RequestedBy;
    request?: Record<string, unknown>;
    now?: Date;
    refuse?: (reason: string) => Error;
  },
): Promise<Submission> {
  if (!isUuid(input.disputeId)) throw new NotFound('dispute_not_found');
  const request = input.request ?? {};
  const refuse = input.refuse ?? ((reason: string) => new ResponseRefused(reason));
  const submission = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('disputes').selectAll().where('id', '=', input.disputeId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound('dispute_not_found');
    const live = await liveSubmissions(trx, input.disputeId);
    // Asked twice: the same submission back while it is on its way (an offer or message also once sent).
    const again = live.find((s) => sameAsk(s, input.kind, request) && (s.status !== 'sent' || !FINAL_KINDS.includes(s.kind)));
    if (again) return again;
    const why = whyRefused(live, input.kind, toDispute(row), input.now ?? new Date());
    if (why) throw refuse(why);
    return insertSubmission(trx, { disputeId: input.disputeId, kind: input.kind, requestedBy: input.requestedBy, request });
  });
  // Recorded is what counts: with Redis away, the submission sweep (sweep.ts) queues it once Redis is back.
  await enqueueSubmission(deps.submissions, submission.id).catch(() => undefined);
  return submission;
}

/** One job per submission: asking again re-adds the same job id, which is a no-op. */
export async function enqueueSubmission(submissions: Queue, submissionId: string): Promise<void> {
  try {
    await withTimeout(
      submissions.add(SEND_JOB, { submissionId }, { jobId: `submission-${submissionId}` }),
      2_000,
      'queueing a submission',
    );
  } catch {
    throw new QueueUnavailable('the submission is recorded; ask again once Redis is back');
  }
}
