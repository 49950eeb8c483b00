import type { Runtime } from '../src/runtime';
import { createSourceClients } from '../src/sources/clients';
import { refreshBeforeSubmit, sourcePullDeps } from '../src/sources/jobs';
import { pullBeforeFirstPacket } from '../src/sources/commerce/first-pull';
import { paymentLookupOf } from '../src/sources/commerce/payment';
import { startAlertWorker } from './alerts';
import { startEventWorker } from './events';
import { EventsFirst } from './events-first';
import { startEvidenceWorker } from './evidence';
import { startMaintenanceWorker } from './maintenance';
import { sourceJobDeps, startSourcesWorker } from './sources';
import { startSubmissionWorker } from './submissions';

/**
 * Every stage's worker; close() lets in-flight jobs finish first. The stages after the events
 * stage give way to it while it holds a backlog (events-first.ts).
 */
export function startWorkers(runtime: Runtime): { close(): Promise<void> } {
  const sources = sourceJobDeps(runtime, createSourceClients(runtime.config.sources, { log: runtime.log }), paymentLookupOf(runtime.providers.ports));
  const priority = new EventsFirst();
  const downstream = [
    startEvidenceWorker(runtime, (disputeId) => pullBeforeFirstPacket(sourcePullDeps(sources), sources.clients, disputeId)),
    startSubmissionWorker(runtime, (disputeId) => refreshBeforeSubmit(sources, disputeId)),
    startAlertWorker(runtime),
    startSourcesWorker(runtime, sources),
  ];
  priority.giveWay(downstream);
  const workers = [startEventWorker(runtime, { priority }), ...downstream, startMaintenanceWorker(runtime)];
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
