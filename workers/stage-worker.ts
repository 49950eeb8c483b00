import { Worker, type Job } from 'bullmq';
import { workerConnection } from '../src/queue/connection';
import type { QueueName } from '../src/queue/names';
import type { Runtime } from '../src/runtime';

/** A BullMQ worker on one stage's queue, with its own connections (closed with it). */
export function stageWorker(runtime: Runtime, queue: QueueName, process: (job: Job) => Promise<unknown>, concurrency: number): Worker {
  const { log, config } = runtime;
  const worker = new Worker(queue, process, { connection: workerConnection(config.redisUrl), prefix: config.queuePrefix, concurrency });
  worker.on('error', (err) => log.warn({ err, queue }, 'worker error'));
  return worker;
}
