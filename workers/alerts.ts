import type { Worker } from 'bullmq';
import { configuredChannels } from '../src/alerts/channels';
import { runAlertJob, startReconciling } from '../src/alerts/jobs';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { stageWorker } from './stage-worker';

/** alerts queue → staff told on every configured channel, once per alert. */
export function startAlertWorker(runtime: Runtime): Worker {
  const { db, log, config, queues } = runtime;
  const deps = { db, log, alerts: queues.alerts, channels: configuredChannels(config.channels), settings: { ...config.alerts, displayNames: runtime.providers.displayNames } };
  startReconciling(queues.alerts).catch((err: unknown) => log.warn({ err }, 'could not schedule the alerts reconciliation'));
  return stageWorker(runtime, QUEUES.alerts, (job) => runAlertJob(deps, job), 4);
}
