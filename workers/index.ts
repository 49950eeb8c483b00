import { createProviderClients } from '../src/providers/clients';
import { createFetchers } from '../src/providers/fetchers';
import { createResponders } from '../src/providers/responders';
import type { Runtime } from '../src/runtime';
import { createSourceClients } from '../src/sources/clients';
import { refreshBeforeSubmit, sourcePullDeps } from '../src/sources/jobs';
import { pullBeforeFirstPacket } from '../src/sources/commerce/first-pull';
import { createPaymentLookup } from '../src/providers/payments';
import { startAlertWorker } from './alerts';
import { startEventWorker } from './events';
import { startEvidenceWorker } from './evidence';
import { sourceJobDeps, startSourcesWorker } from './sources';
import { startSubmissionWorker } from './submissions';

/** Every stage's worker, in the order a dispute flows; close() lets in-flight jobs finish first. */
export function startWorkers(runtime: Runtime): { close(): Promise<void> } {
  const clients = createProviderClients(runtime.config);
  const sources = sourceJobDeps(runtime, createSourceClients(runtime.config.sources, { log: runtime.log }), createPaymentLookup(clients));
  const workers = [
    startEventWorker(runtime, createFetchers(clients)),
    startEvidenceWorker(runtime, (disputeId) => pullBeforeFirstPacket(sourcePullDeps(sources), sources.clients, disputeId)),
    startSubmissionWorker(runtime, createResponders(clients), (disputeId) => refreshBeforeSubmit(sources, disputeId)),
    startAlertWorker(runtime),
    startSourcesWorker(runtime, sources),
  ];
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
