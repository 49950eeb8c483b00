import type { Worker } from 'bullmq';
import { PermanentFailure } from '../src/errors';
import { listersOf } from '../src/ports';
import { QUEUES } from '../src/queue/names';
import { webhooksMissingAlert } from '../src/reconcile/alert';
import { RECONCILE_RUN_JOB, scheduleReconciliation } from '../src/reconcile/jobs';
import { reconcile } from '../src/reconcile/run';
import { erasePersonalData } from '../src/retention/erase';
import { RETENTION_JOB, scheduleRetention } from '../src/retention/jobs';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** maintenance queue → reconciliation with each provider's dispute list, and the daily erasure of personal data. */
export function startMaintenanceWorker(runtime: Runtime): Worker {
  const { db, log, config, queues } = runtime;
  const listers = listersOf(runtime.providers.ports);
  const deps = { db, log, listers, events: queues.events, webhooksMissing: webhooksMissingAlert(db, queues.alerts) };
  scheduleReconciliation(queues.maintenance, config.reconcileIntervalMs).catch((err: unknown) =>
    log.warn({ err }, 'could not schedule reconciliation'),
  );
  scheduleRetention(queues.maintenance, config.retentionDays).catch((err: unknown) => log.warn({ err }, 'could not schedule the erasure of personal data'));
  return stageWorker(runtime, QUEUES.maintenance, async (job) => {
    if (job.name === RECONCILE_RUN_JOB) return reconcile(deps);
    if (job.name === RETENTION_JOB) {
      if (config.retentionDays === undefined) return 'RETENTION_DAYS is not set: personal data is kept';
      const erased = await erasePersonalData(db, config.retentionDays);
      log.info({ erased, retentionDays: config.retentionDays }, 'personal data of disputes closed before the retention period erased');
      return `erased the personal data of ${erased} dispute(s)`;
    }
    throw new PermanentFailure(`unknown maintenance job ${job.name}`);
  }, 1);
}
