import { findEvent } from '../db/events';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import { PermanentFailure } from '../queue/errors';

export interface ProcessEventDeps {
  db: Db;
  log: Logger;
}

export type EventOutcome = 'processed' | 'ignored';

/** Turns one stored provider event into canonical dispute facts. */
export async function processEvent(deps: ProcessEventDeps, eventId: string): Promise<EventOutcome> {
  const event = await findEvent(deps.db, eventId);
  if (!event) throw new PermanentFailure(`event ${eventId} is not in the store`);
  return 'processed';
}
