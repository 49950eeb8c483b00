import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import { createDb, type Db } from './db/pool';
import { channelRedactPaths } from './alerts/channels';
import { createEventIngest, type EventIngest } from './ingest/ingest';
import { createLogger, type Logger } from './log';
import { createMetrics, type Metrics } from './metrics';
import { createProviderRegistry, PROVIDER_MODULES, providerRedactPaths, type ProviderRegistry } from './providers';
import type { ProviderModule, VerifierOptions } from './providers/types';
import { producerConnection } from './queue/connection';
import type { DisputeChangeQueues } from './queue/dispute-changes';
import { createEventQueue } from './queue/events';
import { QUEUES, type EventJob } from './queue/names';
import { JOB_POLICIES } from './queue/policies';
import { foundTotals } from './reconcile/repository';
import { Queue, type JobsOptions } from 'bullmq';
import type { DestinationStream } from 'pino';

/** The long-lived resources one process holds, built from the config and closed together. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  redis: { producer: Redis };
  queues: { events: Queue<EventJob>; evidence: Queue; submissions: Queue; alerts: Queue; maintenance: Queue; sources: Queue };
  /**
   * The stages told of each dispute change (src/queue/dispute-changes.ts). The sources stage only
   * when a source is enabled: without one, its two jobs per new dispute would find nothing to do.
   */
  changeListeners: DisputeChangeQueues;
  metrics: Metrics;
  /** The provider modules, their verifiers and the ports the stages receive. */
  providers: ProviderRegistry;
  /** Webhook deliveries → committed rows, many per commit. */
  ingest: EventIngest;
  adminToken: string;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  log?: Logger;
  verifierOptions?: VerifierOptions;
  /** The provider modules to run (the built-in ones unless a test adds its own). */
  providerModules?: readonly ProviderModule[];
  /** Retry policy per queue, over the defaults (tests shorten it). */
  jobOptions?: Partial<Record<'events' | 'submissions' | 'alerts' | 'sources', JobsOptions>>;
}

/** The process's logger: JSON lines, with every registered provider's and channel's secrets redacted. */
export function appLogger(level: string, destination?: DestinationStream, providers: readonly ProviderModule[] = PROVIDER_MODULES): Logger {
  return createLogger(level, destination, [...providerRedactPaths(providers), ...channelRedactPaths()]);
}

export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const log = options.log ?? appLogger(config.logLevel);
  const db = createDb(config.databaseUrl);
  const producer = producerConnection(config.redisUrl);
  let lastRedisComplaint = 0;
  producer.on('error', (err) => {
    // ioredis reports every reconnect attempt; once a minute is enough to tell the operator.
    if (Date.now() - lastRedisComplaint > 60_000) {
      lastRedisComplaint = Date.now();
      log.warn({ err }, 'redis connection error; webhooks are still stored and will be queued once it is back');
    }
  });
  const stageQueue = <Data = any>(name: string, defaultJobOptions?: JobsOptions) =>
    new Queue<Data>(name, { connection: producer, prefix: config.queuePrefix, defaultJobOptions });
  const queues = {
    events: createEventQueue(producer, config.queuePrefix, options.jobOptions?.events),
    evidence: stageQueue(QUEUES.evidence, JOB_POLICIES.evidence),
    submissions: stageQueue(QUEUES.submissions, { ...JOB_POLICIES.submissions, ...options.jobOptions?.submissions }),
    alerts: stageQueue(QUEUES.alerts, { ...JOB_POLICIES.alerts, ...options.jobOptions?.alerts }),
    maintenance: stageQueue(QUEUES.maintenance, JOB_POLICIES.maintenance),
    sources: stageQueue(QUEUES.sources, { ...JOB_POLICIES.sources, ...options.jobOptions?.sources }),
  };
  for (const queue of Object.values(queues)) {
    queue.on('error', () => {
      // Reported through the connection's error handler above.
    });
  }
  const metrics = createMetrics(
    () =>
      Object.values(queues).map((queue) => ({
        name: queue.name,
        counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
      })),
    () => foundTotals(db),
  );
  const ingest = createEventIngest(
    { db, onBatch: (size) => metrics.ingestBatchSize.observe(size) },
    config.ingest,
  );
  return {
    config,
    log,
    db,
    redis: { producer },
    queues,
    changeListeners: {
      evidence: queues.evidence,
      submissions: queues.submissions,
      alerts: queues.alerts,
      ...(Object.keys(config.sources.enabled).length > 0 && { sources: queues.sources }),
    },
    metrics,
    providers: createProviderRegistry(config.providers, options.providerModules ?? PROVIDER_MODULES, options.verifierOptions),
    ingest,
    adminToken: config.adminToken ?? randomBytes(24).toString('base64url'),
    async close() {
      await ingest.close();
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      producer.disconnect();
      await db.destroy();
    },
  };
}
