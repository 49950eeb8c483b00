import type { Worker } from 'bullmq';
import { PermanentFailure } from '../src/errors';
import { listersOf } from '../src/ports';
import { QUEUES } from '../src/queue/names';
import { webhooksMissingAlert } from '../src/reconcile/alert';
import { RECONCILE_RUN_JOB, scheduleReconciliation } from '../src/reconcile/jobs';
import { reconcile } from '../src/reconcile/run';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** maintenance queue → reconciliation with each provider's dispute list, scheduled at start. */
export function startMaintenanceWorker(runtime: Runtime): Worker {
  const { db, log, config, queues } = runtime;
  const listers = listersOf(runtime.providers.ports);
  const deps = { db, log, listers, events: queues.events, webhooksMissing: webhooksMissingAlert(db, queues.alerts) };
  scheduleReconciliation(queues.maintenance, config.reconcileIntervalMs).catch((err: unknown) =>
    log.warn({ err }, 'could not schedule reconciliation'),
  );
  return stageWorker(runtime, QUEUES.maintenance, async (job) => {
    if (job.name === RECONCILE_RUN_JOB) return reconcile(deps);
    throw new PermanentFailure(`unknown maintenance job ${job.name}`);
  }, 1);
}
