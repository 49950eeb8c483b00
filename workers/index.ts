import type { Runtime } from '../src/runtime';
import { startAlertWorker } from './alerts';
import { startEventWorker } from './events';
import { startEvidenceWorker } from './evidence';
import { startMaintenanceWorker } from './maintenance';
import { startSubmissionWorker } from './submissions';

/** Every stage's worker, in the order a dispute flows; close() lets in-flight jobs finish first. */
export function startWorkers(runtime: Runtime): { close(): Promise<void> } {
  const workers = [
    startEventWorker(runtime),
    startEvidenceWorker(runtime),
    startSubmissionWorker(runtime),
    startAlertWorker(runtime),
    startMaintenanceWorker(runtime),
  ];
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
