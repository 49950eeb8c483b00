import type { Queue } from 'bullmq';
import { isUuid } from '../db/ids';
import type { Db } from '../db/pool';
import { toDispute } from '../disputes/repository';
import { NotFound, QueueUnavailable, Refused } from '../errors';
import { withTimeout } from '../time';
import { whyNoResponse, type RequestedBy, type Submission, type SubmissionKind } from './model';
import { insertSubmission, liveSubmission } from './repository';

export const SEND_JOB = 'submission.send';


/** A dispute that does not take this response now: answered 409 by the API. */
export class ResponseRefused extends Refused {
  constructor(reason: string) {
    super('dispute_not_answerable', reason);
    this.name = 'ResponseRefused';
  }
}

/**
 * Asks for a submission (or acceptance) of a dispute. Under the dispute's row lock, so ten
 * concurrent calls make one submission: the first creates it, the others get the same one back.
 */
export async function requestResponse(
  deps: { db: Db; submissions: Queue },
  input: { disputeId: string; kind: SubmissionKind; requestedBy: RequestedBy; now?: Date },
): Promise<Submission> {
  if (!isUuid(input.disputeId)) throw new NotFound('dispute_not_found');
  const submission = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('disputes').selectAll().where('id', '=', input.disputeId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound('dispute_not_found');
    const live = await liveSubmission(trx, input.disputeId);
    if (live) {
      if (live.kind === input.kind && live.status !== 'sent') return live;
      throw new ResponseRefused(live.status === 'sent' ? `a ${live.kind} was already sent` : `a ${live.kind} is already under way`);
    }
    const why = whyNoResponse(toDispute(row), input.now ?? new Date());
    if (why) throw new ResponseRefused(why);
    return insertSubmission(trx, input);
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
