import { Command } from 'commander';
import { Queue } from 'bullmq';
import { QUEUES } from '../queue/names';
import { SOURCES } from '../sources';
import { SOURCE_JOB_OPTIONS } from '../sources/jobs';
import { requestSync } from '../sources/requests';
import { sourceStatuses, type SourceStatus } from '../sources/status';
import { CliError, cliConfig, print, table, withDb, withQueue } from './context';

export function sourcesTable(sources: SourceStatus[]): string {
  return table([
    ['name', 'kind', 'enabled', 'last sync', 'records', 'last error'],
    ...sources.map((s) => [s.name, s.kind, s.enabled ? 'yes' : 'no', s.lastSyncAt ?? '-', String(s.records), s.lastError ?? '']),
  ]);
}

export const sourcesCommand = () =>
  new Command('sources').description('evidence sources (helpdesks, stores, tracking): enabled, last sync, records, last error').action(async () => {
    const config = cliConfig();
    print(sourcesTable(await withDb(config, (db) => sourceStatuses(db, config.sources))));
  });

export const syncCommand = () =>
  new Command('sync')
    .description('pull now from one source (or every enabled one) for every dispute that still takes a response')
    .argument('[name]', `one of ${SOURCES.map((s) => s.name).join(', ')}`)
    .action(async (name: string | undefined) => {
      const config = cliConfig();
      const names = name ? [name] : SOURCES.map((s) => s.name).filter((n) => config.sources.enabled[n] !== undefined);
      if (names.length === 0) throw new CliError('no evidence source is enabled: set its credentials (see README, "Evidence sources")');
      await withDb(config, (db) =>
        withQueue(config, (connection) => new Queue(QUEUES.sources, { connection, prefix: config.queuePrefix, defaultJobOptions: SOURCE_JOB_OPTIONS }), async (sources) => {
          for (const n of names) {
            const request = await requestSync({ db, sources, config: config.sources }, n);
            if (request.outcome === 'unknown_source') throw new CliError(`unknown source ${n}: use one of ${SOURCES.map((s) => s.name).join(', ')}`);
            if (request.outcome === 'not_enabled') throw new CliError(`${n} is not enabled: set its credentials`);
            if (request.outcome === 'queue_unavailable') throw new CliError('Redis did not take the sync: is it running?');
            print(`${n}: sync ${request.sync.id} queued`);
          }
        }),
      );
    });
