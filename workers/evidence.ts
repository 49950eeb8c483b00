import type { Worker } from 'bullmq';
import { runEvidenceJob } from '../src/evidence/jobs';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** evidence queue → the merchant's records gathered into a packet in each provider's format. */
export function startEvidenceWorker(runtime: Runtime, beforeFirstPacket?: (disputeId: string) => Promise<void>): Worker {
  const { db, log, changeListeners } = runtime;
  return stageWorker(runtime, QUEUES.evidence, (job) => runEvidenceJob({ db, log, queues: changeListeners, providers: runtime.providers.ports, beforeFirstPacket }, job), 4);
}
