import type { Worker } from 'bullmq';
import { configuredChannels } from '../src/alerts/channels';
import { runAlertJob } from '../src/alerts/jobs';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** alerts queue → staff told on every configured channel, once per alert. */
export function startAlertWorker(runtime: Runtime): Worker {
  const { db, log, config, queues } = runtime;
  const deps = { db, log, alerts: queues.alerts, channels: configuredChannels(config.alerts), settings: config.alerts };
  return stageWorker(runtime, QUEUES.alerts, (job) => runAlertJob(deps, job), 4);
}
