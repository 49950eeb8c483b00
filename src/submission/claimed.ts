import type { Db } from '../db/pool';
import { maskCardNumbers } from '../log';
import { isPermanent, PermanentFailure } from '../errors';
import { idempotencyKey, type Submission } from './model';
import { markFailed, markRetrying, markSent, recordAnswer } from './repository';
import type { ResponseContext } from '../ports';

export interface ClaimDeps {
  db: Db;
}

export interface Attempt {
  number: number;
  last: boolean;
}

/** The provider calls of one claimed submission; throws to fail or retry it. */
export type SubmissionWork = (context: ResponseContext) => Promise<void>;

/**
 * The part every action shares: the claim is made, the work runs, and the outcome is recorded.
 * A refusal (ProviderRejected, PermanentFailure) fails at once; anything else is retried until
 * the last attempt. `onFailed` tells the staff.
 */
export async function runClaimed(
  deps: ClaimDeps,
  submission: Submission,
  attempt: Attempt,
  work: SubmissionWork,
  onFailed: (reason: string) => Promise<void>,
): Promise<void> {
  const context: ResponseContext = {
    keyFor: (call: string) => idempotencyKey(submission.id, call),
    record: (answer) => recordAnswer(deps.db, submission.id, { ...answer, at: new Date().toISOString() }),
  };
  try {
    await work(context);
  } catch (err) {
    const reason = maskCardNumbers(err instanceof Error ? err.message : String(err));
    if (isPermanent(err)) {
      await markFailed(deps.db, submission.id, reason);
      await onFailed(reason);
      throw err instanceof PermanentFailure ? err : new PermanentFailure(reason);
    }
    if (attempt.last) {
      await markFailed(deps.db, submission.id, reason);
      await onFailed(reason);
    } else await markRetrying(deps.db, submission.id, reason);
    throw err;
  }
  await markSent(deps.db, submission.id);
}

