import type { Queue } from 'bullmq';
import { insertEvent } from '../db/events';
import { poolOf, type Db } from '../db/pool';
import type { Provider } from '../db/schema';
import { applyFact } from '../disputes/ordering';
import type { Logger } from '../log';
import { maskCardNumbers } from '../log';
import { enqueueEvent } from '../queue/events';
import type { EventJob } from '../queue/names';
import type { DisputeLister, ListedDispute } from '../ports';
import { recordFailure, recordSuccess, storedState, watermarkOf } from './repository';

/** A provider never reconciled before is read this far back. */
export const FIRST_RUN_LOOKBACK_MS = 120 * 24 * 3600_000;
/** Each run re-reads a little before its watermark: clocks differ, and a re-read costs nothing (ids are deterministic). */
export const WATERMARK_OVERLAP_MS = 10 * 60_000;
/** pg advisory lock key of the one reconciliation run at a time ("reconcil" in ASCII). */
const RUN_LOCK = '8243122744614693196';

export interface ReconcileDeps {
  db: Db;
  log: Logger;
  /** Each provider whose dispute list can be read. */
  listers: ReadonlyMap<string, DisputeLister>;
  events: Queue<EventJob>;
  /** Tells staff that a provider's webhooks are not arriving (at most once per provider per day). */
  webhooksMissing(provider: Provider, eventId: string): Promise<void>;
  now?: () => Date;
}

export interface ProviderRun {
  provider: Provider;
  listed: number;
  found: number;
  error: string | null;
}

export type ReconcileResult = { ran: true; providers: ProviderRun[] } | { ran: false; reason: string };

/** The store lacks this dispute, or holds it in a state the listed one would change. */
async function storeIsBehind(db: Db, listed: ListedDispute): Promise<boolean> {
  const state = await storedState(db, listed.facts.provider, listed.facts.providerDisputeId);
  return !state || applyFact(state, listed.facts).changes.length > 0;
}

/**
 * Stores what the store lacks as an event with source "reconcile" and queues it like a webhook:
 * the same normalizer, ordering rules and announcements. Returns the new event's id, or
 * undefined when this very state was stored by an earlier run (it is in the pipeline already).
 */
async function storeFound(deps: ReconcileDeps, listed: ListedDispute): Promise<string | undefined> {
  const stored = await insertEvent(deps.db, {
    provider: listed.facts.provider,
    providerEventId: listed.providerEventId,
    type: listed.type,
    rawBody: Buffer.from(JSON.stringify(listed.payload)),
    headers: {},
    source: 'reconcile',
  });
  if (stored.duplicate) return undefined;
  // Redis away: the event stays 'received' and the outbox sweep queues it, as for a webhook.
  await enqueueEvent(deps.events, stored.id).catch((err: unknown) => deps.log.warn({ err, eventId: stored.id }, 'reconciled event stored, not queued; the outbox sweep will queue it'));
  return stored.id;
}

async function reconcileProvider(deps: ReconcileDeps, provider: Provider, lister: DisputeLister): Promise<ProviderRun> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const log = deps.log.child({ provider, reconcile: true });
  const watermark = await watermarkOf(deps.db, provider);
  const since = watermark ? new Date(watermark.getTime() - WATERMARK_OVERLAP_MS) : new Date(startedAt.getTime() - FIRST_RUN_LOOKBACK_MS);
  const found: string[] = [];
  let listed = 0;
  try {
    for await (const dispute of lister(since)) {
      listed += 1;
      if (!(await storeIsBehind(deps.db, dispute))) continue;
      const eventId = await storeFound(deps, dispute);
      if (!eventId) continue;
      found.push(eventId);
      log.warn({ providerDisputeId: dispute.facts.providerDisputeId, eventId }, 'reconciliation found a dispute change no webhook delivered');
    }
    if (found.length > 0) await deps.webhooksMissing(provider, found[0]!);
  } catch (err) {
    const error = maskCardNumbers(err instanceof Error ? err.message : String(err));
    await recordFailure(deps.db, provider, { error, found: found.length });
    log.warn({ err, listed, found: found.length }, 'reconciliation failed; the watermark stays where it was');
    return { provider, listed, found: found.length, error };
  }
  await recordSuccess(deps.db, provider, { startedAt, found: found.length });
  log.info({ listed, found: found.length, since: since.toISOString() }, 'reconciliation done');
  return { provider, listed, found: found.length, error: null };
}

/**
 * Reads each configured provider's dispute list since its watermark and puts whatever the store
 * lacks through the webhook pipeline. One run at a time across every process (a session advisory
 * lock, released with its connection if the process dies); a run that finds the lock taken does
 * nothing. A provider that fails leaves its watermark alone and the others unaffected.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const client = await poolOf(deps.db).connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [RUN_LOCK]);
    if (!rows[0]?.locked) return { ran: false, reason: 'another reconciliation is running' };
    try {
      return { ran: true, providers: await Promise.all([...deps.listers].map(([provider, lister]) => reconcileProvider(deps, provider, lister))) };
    } finally {
      await client.query('select pg_advisory_unlock($1::bigint)', [RUN_LOCK]);
    }
  } finally {
    client.release();
  }
}
