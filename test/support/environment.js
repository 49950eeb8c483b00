const { TestEnvironment } = require('jest-environment-node');
const IORedis = require('ioredis');

/**
 * Node's test environment; once a test file is done (its servers stopped), the Redis keys of every
 * queue prefix it used (`queuePrefix` in test/support/services.ts) are deleted, so that runs do
 * not pile up the keys of processes that were killed, restarted or never emptied their queues.
 */
class TestEnvironmentWithQueueCleanup extends TestEnvironment {
  async teardown() {
    const used = this.global.__rebuttalQueues;
    if (used) await deleteQueueKeys(used.redisUrl, [...used.prefixes]).catch(() => undefined);
    await super.teardown();
  }
}

async function deleteQueueKeys(redisUrl, prefixes) {
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const prefix of prefixes) {
      for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
    }
  } finally {
    redis.disconnect();
  }
}

module.exports = TestEnvironmentWithQueueCleanup;
