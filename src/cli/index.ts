import { Command, InvalidArgumentError, Option } from 'commander';
import { PROVIDERS, EVENT_STATUSES, type EventStatus, type Provider } from '../db/schema';
import { findEvent, listEvents } from '../db/events';
import { DISPUTE_STATUSES, type DisputeStatus } from '../disputes/model';
import { listDisputes } from '../disputes/repository';
import { formatMoney } from '../money';
import { redriveEvent } from '../queue/events';
import { parseDuration } from '../time';
import { ConfigError } from '../config';
import { CliError, cliConfig, table, withDb, withEventQueue } from './context';
import { doctor } from './doctor';
import { importRecords } from '../evidence/import';
import { regatherForOrders } from '../evidence/regather';
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { producerConnection } from '../queue/connection';
import { QUEUES } from '../queue/names';
import { replay } from './replay';

const print = (line: string) => process.stdout.write(`${line}\n`);

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('use a duration such as 72h, 30m or 7d');
  return ms;
}

function timeLeft(dueBy: string | null, now = Date.now()): string {
  if (!dueBy) return 'no deadline';
  const hours = Math.round((Date.parse(dueBy) - now) / 3_600_000);
  if (hours < 0) return `overdue ${-hours}h`;
  return hours >= 48 ? `${Math.round(hours / 24)}d left` : `${hours}h left`;
}

const program = new Command('rebuttal')
  .description('Rebuttal: replay provider events, inspect and re-drive them, list disputes, import merchant records, check your setup')
  .showHelpAfterError();

program
  .command('replay')
  .description('sign fixture events exactly as their provider would and post them to the receiver')
  .argument('<paths...>', 'fixture files or folders (a folder: its .json files in name order)')
  .option('--to <url>', 'receiver base URL (default http://127.0.0.1:$PORT)')
  .addOption(new Option('--provider <name>', 'force the provider instead of detecting it').choices(PROVIDERS))
  .option('--fresh', 'new event ids and timestamps, so a replay is not a duplicate')
  .action(async (paths: string[], options: { to?: string; provider?: Provider; fresh?: boolean }) => {
    const config = cliConfig();
    const ok = await replay(config, paths, { ...options, to: options.to ?? `http://127.0.0.1:${config.port}` }, print);
    if (!ok) throw new CliError('some events were not accepted (see the lines above)');
  });

program
  .command('events')
  .description('recent provider events, newest first')
  .addOption(new Option('--status <status>').choices(EVENT_STATUSES))
  .addOption(new Option('--provider <name>').choices(PROVIDERS))
  .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 50)
  .action(async (options: { status?: EventStatus; provider?: Provider; limit: number }) => {
    const events = await withDb(cliConfig(), (db) => listEvents(db, options));
    if (events.length === 0) {
      print('no events');
      return;
    }
    print(table([
      ['id', 'provider', 'type', 'status', 'attempts', 'received', 'error'],
      ...events.map((e) => [e.id, e.provider, e.type, e.status, String(e.attempts), e.receivedAt, e.lastError ?? '']),
    ]));
  });

program
  .command('redrive')
  .description('process a stored event again (processing is idempotent)')
  .argument('[eventId]', 'the event to re-drive')
  .option('--failed', 'every failed event')
  .action(async (eventId: string | undefined, options: { failed?: boolean }) => {
    if (!eventId === !options.failed) throw new CliError('name one event id, or use --failed');
    const config = cliConfig();
    const ids = await withDb(config, async (db) => {
      if (eventId) {
        if (!(await findEvent(db, eventId))) throw new CliError(`no event ${eventId}`);
        return [eventId];
      }
      return (await listEvents(db, { status: 'failed', limit: 500 })).map((e) => e.id);
    });
    await withDb(config, (db) =>
      withEventQueue(config, async (queue) => {
        for (const id of ids) {
          await redriveEvent(db, queue, id).catch(() => Promise.reject(new CliError('Redis does not answer: start it or fix REDIS_URL')));
          print(`queued ${id}`);
        }
      }),
    );
    if (ids.length === 0) print('no failed events');
  });

program
  .command('disputes')
  .description('disputes, soonest deadline first')
  .option('--due-within <duration>', 'only those due within this long (e.g. 72h)', duration)
  .addOption(new Option('--status <status>').choices(DISPUTE_STATUSES))
  .addOption(new Option('--provider <name>').choices(PROVIDERS))
  .action(async (options: { dueWithin?: number; status?: DisputeStatus; provider?: Provider }) => {
    const dueBefore = options.dueWithin === undefined ? undefined : new Date(Date.now() + options.dueWithin);
    const disputes = await withDb(cliConfig(), (db) => listDisputes(db, { status: options.status, provider: options.provider, dueBefore }));
    if (disputes.length === 0) {
      print('no disputes');
      return;
    }
    print(table([
      ['due', 'provider', 'amount', 'reason', 'status', 'stage', 'evidence', 'id'],
      ...disputes.map((d) => [
        timeLeft(d.dueBy),
        d.provider,
        d.amount ? formatMoney(d.amount) : '?',
        d.reason,
        d.status,
        d.stage,
        `${Math.round(d.evidence.completeness * 100)}%`,
        d.id,
      ]),
    ]));
  });

program
  .command('import')
  .description('import merchant records (orders, shipments, messages) from an NDJSON file')
  .argument('<file>', 'NDJSON lines of {"type":"order"|"shipment"|"message","data":{…}}')
  .action(async (file: string) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`cannot read ${file}`);
    }
    const config = cliConfig();
    const report = await withDb(config, async (db) => {
      const result = await importRecords(db, text);
      const connection = producerConnection(config.redisUrl);
      connection.on('error', () => undefined);
      const evidence = new Queue(QUEUES.evidence, { connection, prefix: config.queuePrefix });
      evidence.on('error', () => undefined);
      await regatherForOrders(db, evidence, result.changedOrders).catch(() => print('warning: Redis is away; open disputes will gather this evidence when they next change'));
      await evidence.close();
      connection.disconnect();
      return result;
    });
    print(`accepted ${report.accepted}, rejected ${report.rejected.length}`);
    for (const rejected of report.rejected) print(`line ${rejected.line}: ${rejected.error}`);
    if (report.rejected.length) throw new CliError(`${report.rejected.length} line(s) rejected`);
  });

program
  .command('doctor')
  .description("check each provider's settings, PostgreSQL, migrations and Redis, and say what to fix")
  .action(async () => {
    const checks = await doctor();
    for (const check of checks) print(`${check.level.padEnd(4)}  ${check.what}${check.detail ? `: ${check.detail}` : ''}`);
    const failures = checks.filter((c) => c.level === 'FAIL').length;
    if (failures) throw new CliError(`${failures} problem(s) to fix`);
  });

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (err: unknown) => {
    const expected = err instanceof CliError || err instanceof ConfigError;
    process.stderr.write(`rebuttal: ${expected ? (err as Error).message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
