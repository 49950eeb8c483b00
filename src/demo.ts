import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { replay } from './cli/replay';
import { ConfigError, loadConfig, type Config, type Env } from './config';
import { migrateDatabase } from './db/migrate';
import { dropDatabase } from './db/pool';
import type { Provider } from './db/schema';
import { importRecords } from './evidence/import';
import { PoliciesBody } from './evidence/records';
import { regatherForOrders } from './evidence/regather';
import { putPolicies } from './evidence/repository';
import { formatMoney } from './money';
import { signDelivery } from './providers';
import { createRuntime } from './runtime';
import { SandboxRefused, startSandbox, type Sandbox } from './sandbox';
import { start } from './start';

/**
 * `npm run demo`: Rebuttal with a local sandbox of the three providers' APIs, the development
 * secrets of `.env.example`, the scenario stories replayed fresh and the merchant records that go
 * with them, in a database of its own (`<name>_demo`, recreated at every start). Development only.
 */

const ROOT = path.join(__dirname, '..');
const SCENARIOS = path.join(ROOT, 'fixtures', 'scenarios');
const RECORDS = path.join(ROOT, 'fixtures', 'merchant', 'records.ndjson');
const POLICIES = path.join(ROOT, 'fixtures', 'merchant', 'policies.json');

/** The development settings of `.env.example` (KEY=value lines), paths made absolute. */
export function developmentSettings(file = path.join(ROOT, '.env.example')): Env {
  const settings: Env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) settings[match[1]!] = match[2]!.trim();
  }
  if (settings.PAYPAL_CERT_FILE) settings.PAYPAL_CERT_FILE = path.resolve(ROOT, settings.PAYPAL_CERT_FILE);
  return settings;
}

/** The demo's own database next to the configured one: never the data of `npm start`. */
export function demoDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${url.pathname.replace(/^\//, '') || 'rebuttal'}_demo`;
  return url.toString();
}

/** The settings Rebuttal runs with in the demo: the sandbox's API bases and the development secrets. */
export function demoSettings(base: Config, sandbox: Pick<Sandbox, 'urls'>): Env {
  const publicUrl = `http://localhost:${base.port}`;
  return {
    ...developmentSettings(),
    NODE_ENV: base.nodeEnv,
    PORT: String(base.port),
    HOST: base.host === '0.0.0.0' ? '127.0.0.1' : base.host,
    DATABASE_URL: demoDatabaseUrl(base.databaseUrl),
    REDIS_URL: base.redisUrl,
    QUEUE_PREFIX: `${base.queuePrefix}-demo`,
    LOG_LEVEL: 'warn',
    PUBLIC_URL: publicUrl,
    STRIPE_API_BASE: sandbox.urls.stripe,
    STRIPE_SECRET_KEY: 'sk_test_rebuttal_sandbox',
    PAYPAL_API_BASE: sandbox.urls.paypal,
    PAYPAL_CLIENT_ID: 'rebuttal-sandbox-client',
    PAYPAL_CLIENT_SECRET: 'rebuttal-sandbox-secret',
    SQUARE_API_BASE: sandbox.urls.square,
    SQUARE_ACCESS_TOKEN: 'rebuttal-sandbox-square-token',
    SQUARE_WEBHOOK_URL: `${publicUrl}/webhooks/square`,
  };
}

/** Queues of an earlier demo refer to rows of the database it just dropped: gone too. */
export async function clearQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningDemo {
  url: string;
  token: string;
  sandbox: Sandbox;
  stop(): Promise<void>;
}

export async function runDemo(base: Config, print: (line: string) => void): Promise<RunningDemo> {
  const sandbox = await startSandbox(base.nodeEnv);
  let stopRebuttal: (() => Promise<void>) | undefined;
  try {
    const config = loadConfig(demoSettings(base, sandbox));
    await dropDatabase(config.databaseUrl);
    await migrateDatabase(config.databaseUrl);
    await clearQueues(config.redisUrl, config.queuePrefix);
    const runtime = createRuntime(config);
    const running = await start('all', runtime);
    stopRebuttal = running.stop;
    const address = running.server!.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
    const receiver = `http://127.0.0.1:${port}`;
    sandbox.forwardTo({ url: receiver, sign: (provider, body) => signDelivery(provider, body, config), report: print });

    // The merchant's records first, so each dispute gathers its evidence the moment it opens.
    const imported = await importRecords(runtime.db, readFileSync(RECORDS, 'utf8'));
    await putPolicies(runtime.db, PoliciesBody.parse(JSON.parse(readFileSync(POLICIES, 'utf8'))));
    await regatherForOrders(runtime.db, runtime.queues.evidence, imported.changedOrders);
    print(`Imported ${imported.accepted} merchant records and the shop's policies.`);

    // Each story fresh on its own, so each starts now and its deadlines lie ahead as written.
    const stories = readdirStories();
    for (const story of stories) {
      const ok = await replay(config, [path.join(SCENARIOS, story)], { to: receiver, fresh: true, observe: (provider, payload) => sandbox.learn(provider, payload) }, () => undefined);
      if (!ok) throw new Error(`the receiver refused events of the story ${story}`);
    }
    print(`Replayed ${stories.length} scenario stories (fresh: new event ids, times moved to now).`);

    const open = await waitForOpenDisputes(runtime.db, 30_000);
    print('');
    print('Rebuttal demo is running (development only: provider sandbox and development secrets).');
    print(`  Dashboard:  ${url}/`);
    print(`  Token:      ${runtime.adminToken}`);
    print(`  Sandbox:    Stripe ${sandbox.urls.stripe} · PayPal ${sandbox.urls.paypal} · Square ${sandbox.urls.square}`);
    print('  Open disputes, with the evidence the records hold:');
    for (const d of open) print(`    ${d.provider.padEnd(6)} ${d.amount.padEnd(10)} ${d.reason.padEnd(22)} ${d.completeness}  ${url}/disputes/${d.id}`);
    print('  Open one, press "Submit evidence…": the sandbox provider receives it and sends its webhook;');
    print('  the dispute moves to under review. Ctrl-C stops the demo.');
    return {
      url,
      token: runtime.adminToken,
      sandbox,
      async stop() {
        await sandbox.settled();
        await running.stop();
        await sandbox.close();
      },
    };
  } catch (err) {
    await stopRebuttal?.().catch(() => undefined);
    await sandbox.close();
    throw err;
  }
}

function readdirStories(): string[] {
  return readdirSync(SCENARIOS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

interface OpenDispute {
  id: string;
  provider: Provider;
  amount: string;
  reason: string;
  completeness: string;
}

/** The disputes that take a response once the stories are in, with their packets gathered. */
async function waitForOpenDisputes(db: ReturnType<typeof createRuntime>['db'], timeoutMs: number): Promise<OpenDispute[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [events, rows] = await Promise.all([
      db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('status', 'in', ['received', 'queued']).executeTakeFirstOrThrow(),
      db
        .selectFrom('disputes')
        .leftJoin('packets', 'packets.dispute_id', 'disputes.id')
        .select(['disputes.id', 'disputes.provider', 'disputes.amount_value', 'disputes.amount_currency', 'disputes.reason', 'disputes.evidence_completeness', 'packets.id as packet'])
        .where('disputes.status', '=', 'needs_response')
        .orderBy('disputes.due_by')
        .execute(),
    ]);
    const gathered = rows.every((r) => r.packet !== null);
    if ((Number(events.n) === 0 && rows.length > 0 && gathered) || Date.now() > deadline) {
      const seen = new Set<string>();
      return rows
        .filter((r) => !seen.has(r.id) && seen.add(r.id))
        .map((r) => ({
          id: r.id,
          provider: r.provider,
          amount: r.amount_value === null ? '?' : formatMoney({ value: Number(r.amount_value), currency: r.amount_currency ?? 'USD' }),
          reason: r.reason,
          completeness: `${Math.round(Number(r.evidence_completeness ?? 0) * 100)}%`,
        }));
    }
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const base = loadConfig();
  // Handlers first: a Ctrl-C while the demo is still starting waits for it, then stops it.
  let stopping = false;
  let demo: Promise<RunningDemo> | undefined;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping the demo…\n');
    (demo ?? Promise.reject(new Error('not started')))
      .then((d) => d.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`unclean stop: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  demo = runDemo(base, (line) => process.stdout.write(`${line}\n`));
  await demo;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError || err instanceof SandboxRefused ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
