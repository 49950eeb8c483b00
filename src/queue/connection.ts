import type { ConnectionOptions } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';

/**
 * Producers fail fast when Redis is away (the outbox sweep queues the event later);
 * workers wait for Redis as long as it takes, which BullMQ requires.
 */
export function producerConnection(redisUrl: string): Redis {
  return new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
}

/** Connection options (not a client) so each Worker owns its connections and closes them with itself. */
export function workerConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}
