import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import { createDb, type Db } from './db/pool';
import type { Provider } from './db/schema';
import { createEventIngest, type EventIngest } from './ingest/ingest';
import { createLogger, type Logger } from './log';
import { createMetrics, type Metrics } from './metrics';
import { createVerifiers, type VerifierOptions } from './providers';
import type { WebhookVerifier } from './providers/types';
import { producerConnection } from './queue/connection';
import { createEventQueue } from './queue/events';
import { QUEUES, type EventJob } from './queue/names';
import { SUBMISSION_JOB_OPTIONS } from './submission/request';
import { ALERT_JOB_OPTIONS } from './alerts/jobs';
import { Queue, type JobsOptions } from 'bullmq';

/** The long-lived resources one process holds, built from the config and closed together. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  redis: { producer: Redis };
  queues: { events: Queue<EventJob>; evidence: Queue; submissions: Queue; alerts: Queue };
  metrics: Metrics;
  verifiers: Partial<Record<Provider, WebhookVerifier>>;
  /** Webhook deliveries → committed rows, many per commit. */
  ingest: EventIngest;
  adminToken: string;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  log?: Logger;
  verifierOptions?: VerifierOptions;
  /** Retry policy per queue, over the defaults (tests shorten it). */
  jobOptions?: Partial<Record<'events' | 'submissions' | 'alerts', JobsOptions>>;
}

export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const log = options.log ?? createLogger(config.logLevel);
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
  const stageQueue = (name: string, defaultJobOptions?: JobsOptions) =>
    new Queue(name, { connection: producer, prefix: config.queuePrefix, defaultJobOptions });
  const queues = {
    events: createEventQueue(producer, config.queuePrefix, options.jobOptions?.events),
    evidence: stageQueue(QUEUES.evidence),
    submissions: stageQueue(QUEUES.submissions, { ...SUBMISSION_JOB_OPTIONS, ...options.jobOptions?.submissions }),
    alerts: stageQueue(QUEUES.alerts, { ...ALERT_JOB_OPTIONS, ...options.jobOptions?.alerts }),
  };
  for (const queue of Object.values(queues)) {
    queue.on('error', () => {
      // Reported through the connection's error handler above.
    });
  }
  const metrics = createMetrics(() =>
    Object.values(queues).map((queue) => ({
      name: queue.name,
      counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
    })),
  );
  const ingest = createEventIngest(
    { db, log, eventQueue: queues.events, onBatch: (size) => metrics.ingestBatchSize.observe(size) },
    config.ingest,
  );
  return {
    config,
    log,
    db,
    redis: { producer },
    queues,
    metrics,
    verifiers: createVerifiers(config, options.verifierOptions),
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
