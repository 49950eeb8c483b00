import type { Server } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startWorkers } from '../workers';
import { ConfigError, loadConfig, type Config } from './config';
import { migrateDatabase } from './db/migrate';
import { createServer as createReceiver } from './http/app';
import { configuredChannels } from './alerts/channels';
import { listersOf } from './ports';
import { startEventRelay } from './queue/relay';
import { createRuntime, type Runtime } from './runtime';
import { startSubmissionSweep } from './submission/sweep';
import { printStartupGuide } from './startup-guide';
import { formatDuration } from './time';

type Role = 'all' | 'receiver' | 'worker';

/** The server could not take its port: the one line the operator reads, naming the settings to fix. */
export class ListenFailed extends Error {
  constructor(config: Pick<Config, 'port' | 'host'>, cause: NodeJS.ErrnoException) {
    const why: Record<string, string> = {
      EADDRINUSE: `port ${config.port} on ${config.host} is already in use: stop what holds it or set PORT to another port`,
      EACCES: `port ${config.port} needs privileges this process lacks: set PORT above 1023`,
      EADDRNOTAVAIL: `HOST ${config.host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0`,
      ENOTFOUND: `HOST ${config.host} does not resolve: set HOST to an address of this machine, or 0.0.0.0`,
      EAI_AGAIN: `HOST ${config.host} does not resolve: set HOST to an address of this machine, or 0.0.0.0`,
    };
    super(`cannot listen (PORT=${config.port}, HOST=${config.host}): ${why[cause.code ?? ''] ?? cause.message}`, { cause });
    this.name = 'ListenFailed';
  }
}

/** Resolves once the server listens; a listen error (port taken, bad host) rejects instead of being lost. */
export function listen(server: Server, config: Pick<Config, 'port' | 'host'>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(new ListenFailed(config, err));
    server.once('error', failed);
    server.listen(config.port, config.host, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}

function receiverUrl(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** What an operator wants to know at start: where it listens and what is switched on. */
function startLine(runtime: Runtime) {
  const { config } = runtime;
  const url = receiverUrl(config);
  return {
    url,
    dashboardUrl: `${url}/`,
    providers: [...runtime.providers.verifiers.keys()],
    /** Providers whose API credentials are set: submissions and reconciliation. */
    apiProviders: [...listersOf(runtime.providers.ports).keys()],
    alertChannels: configuredChannels(config.channels).map((c) => c.name),
    reconcileInterval: config.reconcileIntervalMs === 0 ? 'off' : formatDuration(config.reconcileIntervalMs),
    retentionDays: config.retentionDays ?? 'keep',
    submitMode: config.submission.mode,
  };
}

/** Starts the receiver, the workers, or both, against the configured PostgreSQL and Redis. */
export async function start(role: Role, runtime: Runtime): Promise<{ server?: Server; stop(): Promise<void> }> {
  const { config, log } = runtime;
  const stops: Array<() => Promise<void>> = [];
  let server: Server | undefined;

  if (role !== 'worker') {
    server = await listen(createReceiver(runtime), config);
    const submissionSweep = startSubmissionSweep(runtime.db, runtime.queues.submissions, log);
    const listening = server;
    stops.push(async () => {
      await new Promise<void>((resolve) => {
        listening.close(() => resolve());
        listening.closeIdleConnections();
      });
      await submissionSweep.stop();
    });
  }
  if (role !== 'receiver') {
    // Before the workers: what the receivers committed meanwhile is queued as they start.
    const relay = startEventRelay({ db: runtime.db, queue: runtime.queues.events, log });
    const workers = startWorkers(runtime);
    stops.push(async () => {
      await relay.stop();
      await workers.close();
    });
  }
  const line = startLine(runtime);
  log.info({ role, ...(role === 'worker' ? { apiProviders: line.apiProviders, alertChannels: line.alertChannels, reconcileInterval: line.reconcileInterval } : line) },
    role === 'worker' ? 'workers started' : `listening on ${line.url}; dashboard at ${line.dashboardUrl}`);

  return {
    server,
    async stop() {
      for (const stop of stops) await stop();
      await runtime.close();
    },
  };
}

async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'all') as Role;
  if (!['all', 'receiver', 'worker'].includes(role)) throw new Error(`unknown role ${role}: use all, receiver or worker`);
  const config = loadConfig();
  await migrateDatabase(config.databaseUrl);
  const runtime = createRuntime(config);
  if (!config.adminToken) {
    // Printed once, outside the JSON logs, so it never lands in a log store.
    process.stderr.write(`ADMIN_TOKEN was not set; this run's admin token is: ${runtime.adminToken}\n`);
  }
  // Handlers first: a SIGTERM that lands while the port is already open but workers are still starting must wait for them.
  let running: Promise<{ stop(): Promise<void> }> | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.log.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
    (running ?? Promise.resolve({ stop: () => runtime.close() }))
      .then((r) => r.stop())
      .then(
        () => process.exit(0),
        (err) => {
          runtime.log.error({ err }, 'unclean shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  running = start(role, runtime);
  await running;
  collectStartupGarbage();
  printStartupGuide(config, runtime.providers);
}

/**
 * V8 lets the old generation grow to several times what survived its last full collection before
 * it collects again: under webhook load, an RSS saw-tooth of ≈250 → 410 MB over a live heap of
 * ≈80 MB. Collecting once it has doubled keeps RSS within a few percent. 50% kept it flatter
 * still, but a full collection stalls the receiver for ≈50–90 ms of incremental marking (about
 * 45 requests at 500 req/s): at 50% one came every ≈6 s at 500 req/s, at 100% every ≈12 s, and
 * the p99 at that rate follows (README, Benchmarks).
 * `node --heap-growing-percent=N src/start.ts` chooses otherwise.
 */
const HEAP_GROWING_PERCENT = 100;

/**
 * Until its first full collection V8 lets the old generation grow to a limit set by the machine's
 * memory, not by what lives in it; the percentage above applies from the first one on. With one
 * queue job per batch the receiver promotes less, and that first collection came only after
 * ≈95k deliveries at full load, RSS climbing 237 → 300 MB meanwhile. One collection once started
 * sets the limit from the live heap.
 */
function collectStartupGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function steadyHeap(): void {
  if (process.execArgv.some((flag) => /^--heap[-_]growing[-_]percent/.test(flag))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

if (require.main === module) {
  steadyHeap();
  // A crash is logged as one fatal line; exiting runs pino's synchronous flush of whatever is buffered.
  process.on('uncaughtException', (err) => {
    process.stderr.write(`rebuttal crashed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
  main().catch((err) => {
    const oneLine = err instanceof ConfigError || err instanceof ListenFailed;
    process.stderr.write(`${oneLine ? err.message : err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  });
}
