import { Worker } from 'bullmq';
import { configuredChannels } from '../src/alerts/channels';
import { runAlertJob } from '../src/alerts/jobs';
import { workerConnection } from '../src/queue/connection';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';

/** alerts queue → staff told on every configured channel, once per alert. */
export function startAlertWorker(runtime: Runtime, options: { concurrency?: number } = {}): Worker {
  const { db, log, config, queues } = runtime;
  const deps = { db, log, alerts: queues.alerts, channels: configuredChannels(config.alerts), settings: config.alerts };
  const worker = new Worker(QUEUES.alerts, (job) => runAlertJob(deps, job), {
    connection: workerConnection(config.redisUrl),
    prefix: config.queuePrefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('error', (err) => log.warn({ err }, 'alert worker error'));
  return worker;
}
