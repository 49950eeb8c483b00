import type { Runtime } from '../src/runtime';
import { createFetchers } from '../src/providers/fetchers';
import { startEventWorker } from './events';
import { startAlertWorker } from './alerts';
import { startEvidenceWorker } from './evidence';
import { createResponders } from '../src/providers/responders';
import { startSubmissionWorker } from './submissions';

/** Every worker of this process; close() lets in-flight jobs finish first. */
export function startWorkers(runtime: Runtime): { close(): Promise<void> } {
  const workers = [
    startEventWorker(runtime, createFetchers(runtime.config)),
    startEvidenceWorker(runtime),
    startSubmissionWorker(runtime, createResponders(runtime.config)),
    startAlertWorker(runtime),
  ];
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
