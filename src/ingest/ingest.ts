import { insertEvents, type InsertedEvent, type NewEvent } from '../db/events';
import type { Db } from '../db/pool';
import type { Logger } from '../log';
import { enqueueCommitted, type CommittedQueues } from '../queue/intake';
import { GroupCommit } from '../db/group-commit';

/**
 * Commits running at once. Two keep PostgreSQL busy while the receiver prepares the next batch
 * (the Redis write of a committed batch does not hold a slot); more would only split the same
 * load into smaller commits.
 */
const MAX_COMMITS_IN_FLIGHT = 2;

export interface IngestSettings {
  batchMax: number;
  batchWaitMs: number;
}

export interface EventIngest {
  /** Resolves once the event's row is committed (and, when new, handed to Redis or left to the outbox). */
  store(event: NewEvent): Promise<InsertedEvent>;
  /** Commits what is waiting and waits for commits under way: every resolved store is durable. */
  close(): Promise<void>;
}

export interface IngestDeps {
  db: Db;
  log: Logger;
  /** Where each committed batch's new events go, as one job (src/queue/intake.ts). */
  queues: CommittedQueues;
  /** Told the size of every committed batch (metrics). */
  onBatch?: (size: number) => void;
}

/**
 * Webhook deliveries → rows, by group commit: one multi-row insert and one commit for the
 * deliveries waiting at that moment, then one job for the new ones, then every answer.
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
    afterCommit: async (_events, outcomes) => {
      const fresh = outcomes.flatMap((o) => (o instanceof Error || o.duplicate ? [] : [o.id]));
      try {
        // The rows stay 'received' until a worker or the outbox sweep moves them on: no second write here.
        await enqueueCommitted(deps.queues, fresh);
      } catch (err) {
        // Stored is what matters to the provider; the outbox sweep queues them when Redis is back.
        deps.log.warn({ err, eventIds: fresh }, 'events stored but not queued; the outbox sweep will queue them');
      }
    },
  });
  return {
    store: (event) => batcher.submit(event),
    close: () => batcher.close(),
  };
}
