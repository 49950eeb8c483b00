import { Command } from 'commander';
import { findEvent, listEvents } from '../db/events';
import { redriveEvent } from '../queue/events';
import { CliError, cliConfig, print, withDb, withEventQueue } from './context';

/** At most this many failed events per `redrive --failed`; run it again for more. */
const FAILED_BATCH = 500;

export const redriveCommand = () =>
  new Command('redrive')
    .description('process a stored event again (processing is idempotent), as POST /api/events/:id/redrive does')
    .argument('[eventId]', 'the event to re-drive (the id `rebuttal events` shows)')
    .option('--failed', 'every failed event')
    .action(async (eventId: string | undefined, options: { failed?: boolean }) => {
      if (!eventId === !options.failed) throw new CliError('name one event id, or use --failed');
      const config = cliConfig();
      await withDb(config, async (db) => {
        let ids: string[];
        if (eventId) {
          if (!(await findEvent(db, eventId))) throw new CliError(`no event ${eventId}`);
          ids = [eventId];
        } else {
          ids = (await listEvents(db, { status: 'failed', limit: FAILED_BATCH })).map((e) => e.id);
        }
        if (ids.length === 0) return print('no failed events');
        await withEventQueue(config, async (queue) => {
          for (const id of ids) {
            await redriveEvent(db, queue, id);
            print(`queued ${id}`);
          }
        });
      });
    });
