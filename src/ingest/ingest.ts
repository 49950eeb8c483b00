import { insertEvents, type InsertedEvent, type NewEvent } from '../db/events';
import type { Db } from '../db/pool';
import { GroupCommit } from '../db/group-commit';

/**
 * Commits running at once. Two keep PostgreSQL busy while the receiver prepares the next batch;
 * more would only split the same load into smaller commits.
 */
const MAX_COMMITS_IN_FLIGHT = 2;

export interface IngestSettings {
  batchMax: number;
  batchWaitMs: number;
}

export interface EventIngest {
  /** Resolves once the event's row is committed (when new, its id is announced to the relay, src/queue/relay.ts). */
  store(event: NewEvent): Promise<InsertedEvent>;
  /** Commits what is waiting and waits for commits under way: every resolved store is durable. */
  close(): Promise<void>;
}

export interface IngestDeps {
  db: Db;
  /** Told the size of every committed batch (metrics). */
  onBatch?: (size: number) => void;
}

/**
 * Webhook deliveries → rows, by group commit: one multi-row insert and one commit for the
 * deliveries waiting at that moment, then every answer. The receiver writes nothing to Redis: the
 * relay queues what the commit announced.
 */
export function createEventIngest(deps: IngestDeps, settings: IngestSettings): EventIngest {
  const batcher = new GroupCommit<NewEvent, InsertedEvent>({
    maxBatch: settings.batchMax,
    maxWaitMs: settings.batchWaitMs,
    maxInFlight: MAX_COMMITS_IN_FLIGHT,
    commit: async (events) => {
      const outcomes = await insertEvents(deps.db, events);
      deps.onBatch?.(events.length);
      return outcomes;
    },
  });
  return {
    store: (event) => batcher.submit(event),
    close: () => batcher.close(),
  };
}
