import { Queue } from 'bullmq';
import { InvalidArgumentError } from 'commander';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/pool';
import { producerConnection } from '../queue/connection';
import { withTimeout } from '../time';
import { createEventQueue } from '../queue/events';
import type { EventJob } from '../queue/names';

/** A failure the user can act on: printed as one line, exit code 1. */
export class CliError extends Error {}

export const print = (line: string) => process.stdout.write(`${line}\n`);

/** commander parser for options such as `--limit 20`. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('use a whole number of at least 1');
  return n;
}

/** The CLI reads the same settings as the server and talks to PostgreSQL and Redis directly. */
export function cliConfig(): Config {
  return loadConfig();
}

export async function withDb<T>(config: Config, work: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(config.databaseUrl, { max: 2 });
  try {
    return await work(db);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '42P01') throw new CliError('the database is not migrated to this version: run `npm run migrate`');
    if (code === 'ECONNREFUSED' || code === '3D000') {
      throw new CliError(`PostgreSQL at ${new URL(config.databaseUrl).host} is not reachable or the database is missing: run \`npm run migrate\` or \`npm start\``);
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

/** Resolves once the connection is ready; a CliError naming REDIS_URL if Redis does not answer in time. */
async function redisReady(connection: Redis, config: Config, ms = 3_000): Promise<void> {
  if (connection.status === 'ready') return;
  const ready = new Promise<void>((resolve) => connection.once('ready', () => resolve()));
  await withTimeout(ready, ms, 'redis').catch(() => {
    throw new CliError(`Redis at ${new URL(config.redisUrl).host} does not answer: start it or fix REDIS_URL`);
  });
}

/** A BullMQ queue on its own fail-fast connection, closed afterwards; Redis must answer first. */
export async function withQueue<Q extends Queue, T>(config: Config, open: (connection: Redis) => Q, work: (queue: Q) => Promise<T>): Promise<T> {
  const connection = producerConnection(config.redisUrl);
  connection.on('error', () => undefined);
  const queue = open(connection);
  queue.on('error', () => undefined);
  try {
    await redisReady(connection, config);
    return await work(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export function withEventQueue<T>(config: Config, work: (queue: Queue<EventJob>) => Promise<T>): Promise<T> {
  return withQueue(config, (connection) => createEventQueue(connection, config.queuePrefix), work);
}

/** Plain columns for a terminal. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
