import type { Server } from 'node:http';
import { startWorkers } from '../workers';
import { ConfigError, loadConfig } from './config';
import { migrateDatabase } from './db/migrate';
import { createServer } from './http/app';
import { startOutboxSweep } from './queue/outbox';
import { createRuntime, type Runtime } from './runtime';

type Role = 'all' | 'receiver' | 'worker';

/** Starts the receiver, the workers, or both, against the configured PostgreSQL and Redis. */
export async function start(role: Role, runtime: Runtime): Promise<{ server?: Server; stop(): Promise<void> }> {
  const { config, log } = runtime;
  const stops: Array<() => Promise<void>> = [];
  let server: Server | undefined;

  if (role !== 'worker') {
    const receiver = createServer(runtime);
    server = await new Promise<Server>((resolve) => {
      receiver.listen(config.port, config.host, () => resolve(receiver));
    });
    const address = server.address();
    log.info({ address }, 'receiver listening');
    const outbox = startOutboxSweep(runtime.db, runtime.queues.events, log);
    const listening = server;
    stops.push(async () => {
      await new Promise<void>((resolve) => {
        listening.close(() => resolve());
        listening.closeIdleConnections();
      });
      await outbox.stop();
    });
  }
  if (role !== 'receiver') {
    const workers = startWorkers(runtime);
    log.info('workers started');
    stops.push(() => workers.close());
  }

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
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  });
}
