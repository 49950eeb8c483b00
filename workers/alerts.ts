import type { Worker } from 'bullmq';
import { configuredChannels } from '../src/alerts/channels';
import { runAlertJob, startReconciling } from '../src/alerts/jobs';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import { SOURCES } from '../src/sources';
import { stageWorker } from './stage-worker';

/** alerts queue → staff told on every configured channel, once per alert. */
export function startAlertWorker(runtime: Runtime): Worker {
  const { db, log, config, queues } = runtime;
  // With a store or tracker enabled the first packet waits for them (up to 20 s): the "opened" alert waits for that packet.
  const pulledFirst = SOURCES.some((s) => (s.kind === 'store' || s.kind === 'tracking') && config.sources.enabled[s.name] !== undefined);
  const deps = { db, log, alerts: queues.alerts, channels: configuredChannels(config.channels), settings: { ...config.alerts, displayNames: runtime.providers.displayNames }, firstPacketWaitMs: pulledFirst ? 25_000 : 0 };
  startReconciling(queues.alerts).catch((err: unknown) => log.warn({ err }, 'could not schedule the alerts reconciliation'));
  return stageWorker(runtime, QUEUES.alerts, (job) => runAlertJob(deps, job), 4);
}
