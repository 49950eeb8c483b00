import { PermanentFailure } from '../errors';
import { portsOf } from '../ports';
import type { Submission } from './model';
import { runClaimed, type Attempt } from './claimed';
import type { SendDeps } from './send';
import { StoredRefund } from './actions';

/**
 * The refund of a warned charge, once: the charge is read first (disputed → refused, as Stripe
 * would; refunded by this submission already → recorded, not refunded again), then one refund
 * call with the submission's idempotency key.
 */
export async function sendWarningRefund(deps: SendDeps, submission: Submission, warningId: string, attempt: Attempt): Promise<void> {
  const log = deps.log.child({ submissionId: submission.id, warningId, kind: 'refund', attempt: attempt.number });
  const warning = await deps.db.selectFrom('warnings').selectAll().where('id', '=', warningId).executeTakeFirst();
  const refunder = warning && portsOf(deps.providers, warning.provider).refunder;
  await runClaimed(
    deps,
    submission,
    attempt,
    async (context) => {
      if (!warning) throw new PermanentFailure('the warning is gone');
      if (!refunder) throw new PermanentFailure(`${warning.provider} is not configured for refunds (API credentials missing)`);
      const state = await refunder.chargeState(warning.provider_payment_id, submission.id);
      if (state === 'disputed') throw new PermanentFailure(`the charge ${warning.provider_payment_id} is disputed: a refund is no longer possible`);
      if (state === 'fully_refunded') throw new PermanentFailure(`the charge ${warning.provider_payment_id} is already fully refunded`);
      if (state === 'already_refunded') {
        await context.record({ call: 'read-back', status: null, summary: 'the provider already has this refund; not sent again' });
        return;
      }
      const { amount } = StoredRefund.parse(submission.request);
      await refunder.refund(warning.provider_payment_id, amount, { ...context, submissionId: submission.id });
    },
    async (reason) => {
      log.warn({ reason }, 'refund failed');
    },
  );
  log.info('refund sent');
}
