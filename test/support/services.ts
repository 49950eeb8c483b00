import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig, type Config, type ConfigModules, type Env } from '../../src/config';
import { migrateDatabase } from '../../src/db/migrate';
import { dropDatabase } from '../../src/db/pool';
import { createServer } from '../../src/http/app';
import { appLogger, createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime';

/** Real PostgreSQL and Redis on loopback; each test file gets its own database and queue prefix. */
export const POSTGRES_BASE = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
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
    QUEUE_PREFIX: uniqueName('test'),
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
  stop(): Promise<void>;
}

export async function startTestReceiver(config: Config, options: RuntimeOptions = {}): Promise<TestReceiver> {
  const logs = new LogCapture();
  const runtime = createRuntime(config, { log: appLogger(config.logLevel, logs, options.providerModules), ...options });
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(runtime).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    logs,
    server,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await emptyQueues(runtime).catch(() => undefined);
      await runtime.close();
    },
  };
}

/** The event ids the receiver handed to Redis: one events job for a batch of one, one intake job for a larger batch. */
export async function queuedEventIds(runtime: Runtime): Promise<string[]> {
  const states = ['waiting', 'active', 'completed', 'delayed'] as const;
  const batches = await runtime.queues.intake.getJobs([...states]);
  const lone = await runtime.queues.events.getJobs([...states]);
  return [...batches.flatMap((job) => job.data.eventIds), ...lone.map((job) => job.data.eventId)];
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
