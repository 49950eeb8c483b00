import type { Queue } from 'bullmq';
import type { Notification, PoolClient } from 'pg';
import { EVENTS_COMMITTED } from '../db/events';
import { poolOf, type Db } from '../db/pool';
import type { Logger } from '../log';
import { enqueueEvent } from './events';
import type { EventJob } from './names';
import { queueAllReceived, startOutboxSweep, SWEEP_GRACE_MS } from './outbox';

/**
 * Receive → queue, off the webhook's path. The receiver writes only to PostgreSQL: its insert
 * announces each new event's id on EVENTS_COMMITTED, which PostgreSQL delivers once the row is
 * committed. The relay runs with the workers, listens, and makes each id an events job; the ids
 * heard in one turn of the event loop go to Redis in one write (src/queue/events.ts).
 *
 * One relay listens at a time, however many worker processes run: it holds a session advisory
 * lock, which PostgreSQL releases when its session ends; the others stand by and try for it every
 * few seconds.
 *
 * What it cannot hear, the outbox queues: each time a relay starts listening, all events never
 * handed to the queue (committed while no relay listened); every few seconds, in every worker
 * process, those still waiting after the grace period (Redis was away, or lost them). Event ids
 * are job ids, so the relay and the outbox racing each other still make one job.
 */
export interface EventRelay {
  /** Resolves once the relay listens and has queued what was committed before, or stands by while another listens. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export interface RelayOptions {
  sweepEveryMs: number;
  graceMs: number;
  /** How long after a lost connection the relay listens again. */
  reconnectMs: number;
  /** How often a relay standing by tries to take over. */
  standbyMs: number;
}

const DEFAULTS: RelayOptions = { sweepEveryMs: 5_000, graceMs: SWEEP_GRACE_MS, reconnectMs: 1_000, standbyMs: 5_000 };

/** pg advisory lock key of the one listening relay ("relay" in ASCII). */
const LISTENING_LOCK = '491327873401';

export function startEventRelay(deps: { db: Db; queue: Queue<EventJob>; log: Logger }, options: Partial<RelayOptions> = {}): EventRelay {
  const { db, queue, log } = deps;
  const settings = { ...DEFAULTS, ...options };
  let listener: PoolClient | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const lastComplaint = new Map<string, number>();
  // Once a minute each: an outage fails every id heard, and every reconnection, meanwhile.
  const complain = (err: unknown, message: string) => {
    if (Date.now() - (lastComplaint.get(message) ?? 0) < 60_000) return;
    lastComplaint.set(message, Date.now());
    log.warn({ err }, message);
  };

  const relay = (message: Notification) => {
    if (message.channel !== EVENTS_COMMITTED || !message.payload) return;
    enqueueEvent(queue, message.payload).catch((err: unknown) =>
      complain(err, 'relay: events committed but not queued; the outbox sweep will queue them once Redis is back'),
    );
  };

  /** The latest attempt to listen: stop() waits for it, so no connection outlives the relay. */
  let attempt: Promise<void>;
  const listenAgainLater = (afterMs = settings.reconnectMs) => {
    if (stopped) return;
    retry = setTimeout(() => {
      attempt = listen();
      attempt.catch(() => undefined);
    }, afterMs);
  };

  async function listen(): Promise<void> {
    let client: PoolClient;
    try {
      client = await poolOf(db).connect();
    } catch (err) {
      complain(err, 'relay: cannot reach PostgreSQL; trying again every second');
      listenAgainLater();
      throw err;
    }
    if (stopped) {
      client.release(true);
      return;
    }
    const lost = (err?: Error) => {
      if (listener !== client) return;
      listener = undefined;
      client.release(err ?? true);
      complain(err, 'relay: lost its PostgreSQL connection; listening again');
      listenAgainLater();
    };
    client.on('notification', relay);
    client.on('error', lost);
    client.on('end', lost);
    listener = client;
    try {
      const { rows } = await client.query<{ leading: boolean }>('select pg_try_advisory_lock($1::bigint) as leading', [LISTENING_LOCK]);
      if (!rows[0]?.leading) {
        // Another relay listens. This session holds no lock: it can go back to the pool.
        listener = undefined;
        client.off('notification', relay).off('error', lost).off('end', lost);
        client.release();
        listenAgainLater(settings.standbyMs);
        return;
      }
      await client.query(`listen ${EVENTS_COMMITTED}`);
    } catch (err) {
      lost(err as Error);
      throw err;
    }
    // Only now: an event committed before LISTEN took effect is found here, one after it is heard.
    await queueAllReceived(db, queue, log).catch((err: unknown) =>
      log.warn({ err }, 'relay: could not queue the events committed while nothing listened; the outbox sweep will'),
    );
  }

  const sweep = startOutboxSweep(db, queue, log, settings.sweepEveryMs, settings.graceMs);
  const ready = listen();
  attempt = ready;
  ready.catch(() => {
    // Reported above; the relay keeps trying on its own.
  });
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await attempt.catch(() => undefined);
      await sweep.stop();
      const client = listener;
      listener = undefined;
      client?.release(true);
    },
  };
}
