import { Command, Option } from 'commander';
import { EVENT_STATUSES, type EventStatus, type Provider } from '../db/schema';
import { PROVIDER_NAMES } from '../providers';
import { listEvents, type EventSummary } from '../db/events';
import { cliConfig, positiveInteger, print, table, withDb } from './context';

export function eventsTable(events: EventSummary[]): string {
  if (events.length === 0) return 'no events';
  return table([
    ['id', 'provider', 'provider event', 'type', 'status', 'attempts', 'received', 'error'],
    ...events.map((e) => [e.id, e.provider, e.providerEventId, e.type, e.status, String(e.attempts), e.receivedAt, e.lastError ?? '']),
  ]);
}

export const eventsCommand = () =>
  new Command('events')
    .description('recent provider events, newest first')
    .addOption(new Option('--status <status>').choices(EVENT_STATUSES))
    .addOption(new Option('--provider <name>').choices(PROVIDER_NAMES))
    .option('--limit <n>', 'how many', positiveInteger, 50)
    .action(async (options: { status?: EventStatus; provider?: Provider; limit: number }) => {
      print(eventsTable(await withDb(cliConfig(), (db) => listEvents(db, options))));
    });
