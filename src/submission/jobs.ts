import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import type { Config } from '../config';
import { findDispute } from '../disputes/repository';
import { DisputeChange } from '../queue/names';
import { PermanentFailure } from '../errors';
import { isLastAttempt, JOB_POLICIES } from '../queue/policies';
import { planAutoSubmit } from './auto';
import { requestResponse, ResponseRefused, SEND_JOB } from './request';
import { sendSubmission, type SendDeps } from './send';

export const AUTO_SUBMIT_CHECK = 'auto-submit.check';

const SendJob = z.object({ submissionId: z.uuid() });
const AutoSubmitCheck = z.object({ disputeId: z.uuid() });

export interface SubmissionJobDeps extends SendDeps {
  submissions: Queue;
  settings: Config['submission'];
  /**
   * Recomputes the recommendation and, under AUTO_ACCEPT_BELOW, accepts (src/resolution); true when
   * it accepted. Without it dispute changes only drive auto-submit.
   */
  autoResolve?: (disputeId: string) => Promise<boolean>;
}

/** In auto mode, submits now or schedules the latest moment to; a refused dispute is left alone. */
export async function runAutoSubmit(deps: SubmissionJobDeps, disputeId: string, now = new Date()): Promise<string> {
  const dispute = await findDispute(deps.db, disputeId);
  if (!dispute) return 'dispute not found';
  const plan = planAutoSubmit(dispute, deps.settings, now);
  if (plan.action === 'submit_now') {
    try {
      await requestResponse({ db: deps.db, submissions: deps.submissions }, { disputeId, kind: 'submit', requestedBy: 'auto', now });
    } catch (err) {
      if (err instanceof ResponseRefused) return `not submitted: ${err.reason}`;
      throw err;
    }
  } else if (plan.action === 'check_at') {
    // One check per (dispute, moment): a moved deadline schedules a new one, the stale one finds nothing to do.
    await deps.submissions.add(AUTO_SUBMIT_CHECK, { disputeId }, {
      jobId: `auto-submit-${disputeId}-${plan.at.getTime()}`,
      delay: plan.at.getTime() - now.getTime(),
      ...JOB_POLICIES.autoSubmitChecks,
    });
    return `check at ${plan.at.toISOString()}`;
  }
  return plan.action === 'submit_now' ? `submitted: ${plan.why}` : plan.why;
}

/** The submissions queue carries sends, dispute changes (for auto mode) and scheduled auto-submit checks. */
export async function runSubmissionJob(deps: SubmissionJobDeps, job: Job): Promise<string | void> {
  if (job.name === SEND_JOB) {
    const { submissionId } = SendJob.parse(job.data);
    return sendSubmission(deps, submissionId, { number: job.attemptsMade + 1, last: isLastAttempt(job, false) });
  }
  if (job.name === AUTO_SUBMIT_CHECK) return runAutoSubmit(deps, AutoSubmitCheck.parse(job.data).disputeId);
  if (job.name.startsWith('dispute.')) {
    const { disputeId } = DisputeChange.parse(job.data);
    if (await deps.autoResolve?.(disputeId)) return 'accepted automatically';
    return runAutoSubmit(deps, disputeId);
  }
  throw new PermanentFailure(`unknown submissions job ${job.name}`);
}
