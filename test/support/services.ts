import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig, type Config, type ConfigModules, type Env } from '../../src/config';
import { insertEvents } from '../../src/db/events';
import { migrateDatabase } from '../../src/db/migrate';
import { dropDatabase } from '../../src/db/pool';
import { createServer } from '../../src/http/app';
import { startEventRelay, type EventRelay } from '../../src/queue/relay';
import { appLogger, createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime';

/** Real PostgreSQL and Redis on loopback; each test file gets its own database and queue prefix. */
export const POSTGRES_BASE = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/**
 * A queue prefix of this test file's own; the test environment (test/support/environment.js)
 * deletes its keys from REDIS_URL once the file is done.
 */
export function queuePrefix(name: string): string {
  const prefix = uniqueName(name);
  const file = globalThis as { __rebuttalQueues?: { redisUrl: string; prefixes: Set<string> } };
  (file.__rebuttalQueues ??= { redisUrl: REDIS_URL, prefixes: new Set() }).prefixes.add(prefix);
  return prefix;
}

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = `${POSTGRES_BASE}/${uniqueName('rebuttal_test')}`;
  await migrateDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}

export function testConfig(databaseUrl: string, env: Env = {}, modules: ConfigModules = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix('test'),
    ADMIN_TOKEN,
    LOG_LEVEL: 'info',
    // Reconciliation reads the provider fakes at start when on: a test that wants it turns it on.
    RECONCILE_INTERVAL: '0',
    ...env,
  }, modules);
}

/** Every log line a runtime writes, for assertions about what reaches the logs. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestReceiver {
  url: string;
  runtime: Runtime;
  logs: LogCapture;
  server: Server;
  relay: EventRelay;
  stop(): Promise<void>;
}

/** The receiver and the relay that queues what it commits, as `npm start` runs them; no workers. */
export async function startTestReceiver(config: Config, options: RuntimeOptions = {}): Promise<TestReceiver> {
  const logs = new LogCapture();
  const runtime = createRuntime(config, { log: appLogger(config.logLevel, logs, options.providerModules), ...options });
  const relay = startEventRelay({ db: runtime.db, queue: runtime.queues.events, log: runtime.log });
  await relay.ready.catch(() => undefined);
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(runtime).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const receiver: TestReceiver = {
    url: `http://127.0.0.1:${port}`,
    runtime,
    logs,
    server,
    relay,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await receiver.relay.stop();
      await emptyQueues(runtime).catch(() => undefined);
      await runtime.close();
    },
  };
  return receiver;
}

/** The event ids in the events queue, in any state. */
export async function queuedEventIds(runtime: Runtime): Promise<string[]> {
  const jobs = await runtime.queues.events.getJobs(['waiting', 'active', 'completed', 'delayed']);
  return jobs.map((job) => job.data.eventId);
}

/**
 * The event ids in the events queue once the relay has queued `count` of them. The relay queues
 * just after the commit, so a test waits for it; a test that expects nothing more to be queued
 * waits for a later event's id (ids are announced in commit order).
 */
export async function queuedEventIdsOnce(runtime: Runtime, count: number): Promise<string[]> {
  return waitFor(async () => {
    const ids = await queuedEventIds(runtime);
    return ids.length >= count && ids;
  }, 10_000, `${count} queued events`);
}

/**
 * Waits until the relay has queued everything committed so far, so that emptying the queues next
 * leaves nothing to arrive late: ids are heard in commit order, so once a marker event committed
 * now is queued, every event before it is. The marker's row and job are deleted again.
 */
export async function relayCaughtUp(runtime: Runtime): Promise<void> {
  const [marker] = await insertEvents(runtime.db, [
    { provider: 'stripe', providerEventId: uniqueName('evt_marker'), type: 'marker', rawBody: Buffer.from('{}'), headers: {} },
  ]);
  if (!marker || marker instanceof Error) throw marker ?? new Error('no marker event');
  await waitFor(async () => (await queuedEventIds(runtime)).includes(marker.id), 10_000, 'the relay to catch up');
  await runtime.queues.events.remove(`event-${marker.id}`);
  await runtime.db.deleteFrom('events').where('id', '=', marker.id).execute();
}

/** Empties every queue of the runtime (between tests sharing one receiver). */
export async function emptyQueues(runtime: Runtime): Promise<void> {
  await Promise.all(Object.values(runtime.queues).map((q) => q.obliterate({ force: true })));
}

export function adminHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${ADMIN_TOKEN}`, ...extra };
}

export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
