import type { Worker } from 'bullmq';
import { configuredChannels } from '../src/alerts/channels';
import { QUEUES } from '../src/queue/names';
import type { Runtime } from '../src/runtime';
import type { EnabledSource } from '../src/sources/clients';
import type { PaymentLookup } from '../src/sources/commerce/payment';
import { runSourcesJob, scheduleResync, type SourceJobDeps } from '../src/sources/jobs';
import { stageWorker } from './stage-worker';

/** What the sources worker and the submission refresh share. */
export function sourceJobDeps(runtime: Runtime, clients: Map<string, EnabledSource>, payments?: PaymentLookup): SourceJobDeps {
  const { db, log, config, queues } = runtime;
  return {
    db,
    log,
    providers: runtime.providers.ports,
    sources: queues.sources,
    evidence: queues.evidence,
    clients,
    settings: config.sources,
    links: { publicUrl: config.alerts.publicUrl, timezone: config.alerts.timezone },
    channels: configuredChannels(config.channels),
    payments,
  };
}

/** sources queue → helpdesks (and stores, trackers) pulled for evidence and told about disputes. */
export function startSourcesWorker(runtime: Runtime, deps: SourceJobDeps): Worker {
  scheduleResync(runtime.queues.sources, runtime.config.sources.syncIntervalMs, deps.clients.size > 0).catch((err: unknown) =>
    runtime.log.warn({ err }, 'could not schedule the source re-pull'),
  );
  return stageWorker(runtime, QUEUES.sources, (job) => runSourcesJob(deps, job), 4);
}
