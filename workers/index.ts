import { createProviderClients } from '../src/providers/clients';
import { createFetchers } from '../src/providers/fetchers';
import { createRefunders, createResponders } from '../src/providers/responders';
import type { Runtime } from '../src/runtime';
import { startAlertWorker } from './alerts';
import { startEventWorker } from './events';
import { startEvidenceWorker } from './evidence';
import { startSubmissionWorker } from './submissions';

/** Every stage's worker, in the order a dispute flows; close() lets in-flight jobs finish first. */
export function startWorkers(runtime: Runtime): { close(): Promise<void> } {
  const clients = createProviderClients(runtime.config);
  const refunders = createRefunders(clients);
  const workers = [
    startEventWorker(runtime, createFetchers(clients), { refunders }),
    startEvidenceWorker(runtime),
    startSubmissionWorker(runtime, createResponders(clients), refunders),
    startAlertWorker(runtime),
  ];
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
