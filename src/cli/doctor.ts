import { X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import IORedis from 'ioredis';
import { sql } from 'kysely';
import { ConfigError, loadConfig, type Config } from '../config';
import { migrations } from '../db/migrations';
import { createDb } from '../db/pool';
import { withTimeout } from '../queue/connection';
import { CliError, print } from './context';

export type Level = 'ok' | 'warn' | 'FAIL';
export interface Check {
  level: Level;
  what: string;
  detail: string;
}

const ok = (what: string, detail = ''): Check => ({ level: 'ok', what, detail });
const warn = (what: string, detail: string): Check => ({ level: 'warn', what, detail });
const fail = (what: string, detail: string): Check => ({ level: 'FAIL', what, detail });

/** What each provider's settings say, without touching the network. Pure. */
export function providerChecks(config: Config): Check[] {
  const checks: Check[] = [];
  const { stripe, paypal, square } = config;
  if (stripe.webhookSecrets.length === 0) checks.push(warn('stripe', 'disabled: set STRIPE_WEBHOOK_SECRETS (whsec_…) from the Stripe dashboard'));
  else checks.push(ok('stripe webhooks', `${stripe.webhookSecrets.length} signing secret(s)`));
  if (stripe.webhookSecrets.length > 0 && !stripe.secretKey) checks.push(warn('stripe api', 'STRIPE_SECRET_KEY is not set: evidence cannot be submitted'));
  if (stripe.secretKey && !/^(sk|rk)_(test|live)_\S+$/.test(stripe.secretKey)) checks.push(fail('stripe api', 'STRIPE_SECRET_KEY must look like sk_live_… or rk_live_…'));

  if (square.signatureKeys.length === 0) checks.push(warn('square', 'disabled: set SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL'));
  else if (!square.webhookUrl) checks.push(fail('square webhooks', 'SQUARE_WEBHOOK_URL is required: Square signs the notification URL'));
  else if (!square.webhookUrl.startsWith('https://')) checks.push(fail('square webhooks', `SQUARE_WEBHOOK_URL must be the absolute https URL registered with Square, not ${square.webhookUrl}`));
  else checks.push(ok('square webhooks', `verifying against ${square.webhookUrl}`));
  if (square.signatureKeys.length > 0 && !square.accessToken) checks.push(warn('square api', 'SQUARE_ACCESS_TOKEN is not set: evidence cannot be submitted'));

  if (!paypal.webhookId) checks.push(warn('paypal', 'disabled: set PAYPAL_WEBHOOK_ID (the id of your webhook in the PayPal developer dashboard)'));
  else {
    checks.push(ok('paypal webhooks', `webhook id ${paypal.webhookId}, verify=${paypal.certFile ? 'cert file' : paypal.verify}`));
    if (!paypal.clientId || !paypal.clientSecret) {
      checks.push((paypal.verify === 'api' ? fail : warn)('paypal api', 'PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET are needed to fetch partial disputes and submit evidence'));
    }
    if (paypal.certFile) {
      try {
        const cert = new X509Certificate(readFileSync(paypal.certFile));
        if (new Date(cert.validTo) < new Date()) checks.push(fail('paypal cert file', `${paypal.certFile} expired ${cert.validTo}`));
        else checks.push(warn('paypal cert file', `${paypal.certFile}: development only, never in production`));
      } catch (err) {
        checks.push(fail('paypal cert file', `${paypal.certFile} is not a readable PEM certificate (${(err as Error).message})`));
      }
    }
  }
  return checks;
}

async function reachable(host: string): Promise<boolean> {
  return withTimeout(lookup(host.split(':')[0]!), 2_000, 'dns').then(() => true, () => false);
}

async function paypalCertHostChecks(config: Config): Promise<Check[]> {
  if (!config.paypal.webhookId || config.paypal.certFile || config.paypal.verify !== 'cert') return [];
  const resolved = await Promise.all(config.paypal.certHosts.map(reachable));
  const unreachable = config.paypal.certHosts.filter((_, i) => !resolved[i]);
  return [unreachable.length ? warn('paypal cert hosts', `cannot resolve ${unreachable.join(', ')}: PayPal events will get 503 until they can be fetched`) : ok('paypal cert hosts', 'resolvable')];
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
    ];
  } catch (err) {
    return [fail('postgres', `${host} does not answer (${(err as Error).message}): start PostgreSQL or fix DATABASE_URL`)];
  } finally {
    await db.destroy();
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

/** Every check, the network ones included: settings, PayPal certificate hosts, PostgreSQL, migrations, Redis. */
export async function doctor(env: Record<string, string | undefined> = process.env): Promise<Check[]> {
  const checks: Check[] = [];
  let connections: Pick<Config, 'databaseUrl' | 'redisUrl'> | undefined;
  try {
    const config = loadConfig(env);
    checks.push(ok('settings', 'every variable parses'), ...providerChecks(config), ...(await paypalCertHostChecks(config)));
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
    .description("check each provider's settings, PostgreSQL, migrations and Redis, and say what to fix")
    .action(async () => {
      const checks = await doctor();
      for (const check of checks) print(checkLine(check));
      const failures = checks.filter((c) => c.level === 'FAIL').length;
      if (failures) throw new CliError(`${failures} problem(s) to fix`);
    });
