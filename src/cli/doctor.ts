import { Command } from 'commander';
import IORedis from 'ioredis';
import { sql } from 'kysely';
import { Client } from 'pg';
import { ConfigError, loadConfig, type Config } from '../config';
import { migrations } from '../db/migrations';
import { createDb } from '../db/pool';
import { PROVIDER_MODULES } from '../providers';
import { SOURCES } from '../sources';
import type { AnySourceModule } from '../sources/types';
import { fail, ok, warn, type ProviderModule, type SettingCheck } from '../providers/types';
import { withTimeout } from '../time';
import { CliError, print } from './context';

export type Check = SettingCheck;

/** What each provider's settings say, without touching the network. Pure. */
export function providerChecks(config: Config, modules: readonly ProviderModule[] = PROVIDER_MODULES): Check[] {
  return modules.flatMap((m) => m.checks(config.providers[m.name]));
}

/** Which evidence sources are on (their settings were checked with the rest; a half-made one fails `settings`). */
export function sourceChecks(config: Config, modules: readonly AnySourceModule[] = SOURCES): Check[] {
  const on = modules.filter((m) => config.sources.enabled[m.name] !== undefined);
  if (on.length === 0) return [ok('evidence sources', 'none enabled: orders, tracking and conversations come only from the API and imports')];
  return on.map((m) => ok(`${m.name} (${m.kind})`, `enabled; \`npx rebuttal sync ${m.name}\` pulls now`));
}

async function providerNetworkChecks(config: Config, modules: readonly ProviderModule[] = PROVIDER_MODULES): Promise<Check[]> {
  const checks = await Promise.all(modules.map((m) => m.networkChecks?.(config.providers[m.name]) ?? []));
  return checks.flat();
}

async function postgresChecks(databaseUrl: string): Promise<Check[]> {
  const host = new URL(databaseUrl).host;
  const db = createDb(databaseUrl, { max: 1 });
  try {
    await withTimeout(sql`select 1`.execute(db), 3_000, 'postgres');
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db).then((r) => r.rows.map((x) => x.name), (): string[] => []);
    const pending = Object.keys(migrations).filter((name) => !applied.includes(name));
    return [
      ok('postgres', host),
      pending.length ? fail('migrations', `${pending.length} pending (${pending.join(', ')}): run \`npm run migrate\``) : ok('migrations', `${applied.length} applied`),
      await notificationCheck(databaseUrl),
    ];
  } catch (err) {
    return [fail('postgres', `${host} does not answer (${(err as Error).message}): start PostgreSQL or fix DATABASE_URL`)];
  } finally {
    await db.destroy();
  }
}

/** How long a notification may take to be heard before the check gives up. */
const NOTIFICATION_WAIT_MS = 2_000;

/**
 * The relay hears each committed event through LISTEN on a session of its own (src/queue/relay.ts).
 * A pooler in transaction mode between Rebuttal and PostgreSQL swallows notifications: one sent
 * from another session must be heard here. Its own channel, so that no running relay hears it.
 */
async function notificationCheck(databaseUrl: string): Promise<Check> {
  const listener = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  const speaker = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  for (const client of [listener, speaker]) client.on('error', () => undefined);
  try {
    await Promise.all([listener.connect(), speaker.connect()]);
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      listener.on('notification', (message) => message.channel === 'rebuttal_doctor' && resolve(true));
      timer = setTimeout(() => resolve(false), NOTIFICATION_WAIT_MS);
    });
    await listener.query('listen rebuttal_doctor');
    await speaker.query(`select pg_notify('rebuttal_doctor', 'ping')`);
    const wasHeard = await heard;
    clearTimeout(timer);
    return wasHeard
      ? ok('notifications', 'heard through DATABASE_URL: the relay queues each event as it is committed')
      : warn(
          'notifications',
          `one sent through DATABASE_URL was not heard within ${NOTIFICATION_WAIT_MS / 1000} s (a pooler in transaction mode?): events are queued only by the outbox sweep, 30 s after they arrive; point DATABASE_URL at PostgreSQL or at a pooler in session mode`,
        );
  } catch (err) {
    return warn('notifications', `could not be tried (${(err as Error).message})`);
  } finally {
    await Promise.all([listener.end(), speaker.end()].map((p) => p.catch(() => undefined)));
  }
}

async function redisChecks(redisUrl: string): Promise<Check[]> {
  const host = new URL(redisUrl).host;
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), 3_000, 'redis');
    return [ok('redis', host)];
  } catch {
    return [fail('redis', `${host} does not answer: start Redis or fix REDIS_URL`)];
  } finally {
    redis.disconnect();
  }
}

/** The connection settings alone, when another setting is invalid: PostgreSQL and Redis can still be checked. */
function connectionSettings(env: Record<string, string | undefined>): Pick<Config, 'databaseUrl' | 'redisUrl'> | undefined {
  try {
    return loadConfig({ DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL });
  } catch {
    return undefined;
  }
}

/** Every check, the network ones included: settings, PayPal certificate hosts, PostgreSQL, migrations, notifications, Redis. */
export async function doctor(env: Record<string, string | undefined> = process.env): Promise<Check[]> {
  const checks: Check[] = [];
  let connections: Pick<Config, 'databaseUrl' | 'redisUrl'> | undefined;
  try {
    const config = loadConfig(env);
    checks.push(ok('settings', 'every variable parses'), ...providerChecks(config), ...(await providerNetworkChecks(config)), ...sourceChecks(config));
    connections = config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checks.push(fail('settings', err.message));
    connections = connectionSettings(env);
  }
  if (connections) checks.push(...(await postgresChecks(connections.databaseUrl)), ...(await redisChecks(connections.redisUrl)));
  return checks;
}

export function checkLine(check: Check): string {
  return `${check.level.padEnd(4)}  ${check.what}${check.detail ? `: ${check.detail}` : ''}`;
}

export const doctorCommand = () =>
  new Command('doctor')
    .description("check each provider's settings, PostgreSQL, migrations, notifications and Redis, and say what to fix")
    .action(async () => {
      const checks = await doctor();
      for (const check of checks) print(checkLine(check));
      const failures = checks.filter((c) => c.level === 'FAIL').length;
      if (failures) throw new CliError(`${failures} problem(s) to fix`);
    });
