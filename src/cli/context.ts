import { Queue } from 'bullmq';
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/pool';
import { producerConnection } from '../queue/connection';
import { createEventQueue } from '../queue/events';
import type { EventJob } from '../queue/names';

/** A failure the user can act on: printed as one line, exit code 1. */
export class CliError extends Error {}

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

export async function withEventQueue<T>(config: Config, work: (queue: Queue<EventJob>) => Promise<T>): Promise<T> {
  const connection = producerConnection(config.redisUrl);
  connection.on('error', () => undefined);
  const queue = createEventQueue(connection, config.queuePrefix);
  queue.on('error', () => undefined);
  try {
    return await work(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** Plain columns for a terminal. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
