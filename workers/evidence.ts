import { Worker } from 'bullmq';
import { runEvidenceJob } from '../src/evidence/jobs';
import { workerConnection } from '../src/queue/connection';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';

/** evidence queue → the merchant's records gathered into a packet in each provider's format. */
export function startEvidenceWorker(runtime: Runtime, options: { concurrency?: number } = {}): Worker {
  const { db, log, config, queues } = runtime;
  const worker = new Worker(QUEUES.evidence, (job) => runEvidenceJob({ db, log, queues }, job), {
    connection: workerConnection(config.redisUrl),
    prefix: config.queuePrefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('error', (err) => log.warn({ err }, 'evidence worker error'));
  return worker;
}
