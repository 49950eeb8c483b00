import type { Queue } from 'bullmq';
import type { Db } from '../db/pool';
import { withTimeout } from '../queue/connection';
import { sourceNamed } from './index';
import { SYNC_JOB } from './jobs';
import { createSync } from './repository';
import type { SourcesConfig } from './settings';

export type SyncRequest = { outcome: 'queued'; sync: { id: string; status: 'queued' } } | { outcome: 'unknown_source' } | { outcome: 'not_enabled' } | { outcome: 'queue_unavailable'; sync: { id: string } };

/** "Pull now" for every dispute that still takes a response: recorded, then one fan-out job. */
export async function requestSync(deps: { db: Db; sources: Queue; config: SourcesConfig }, name: string): Promise<SyncRequest> {
  if (!sourceNamed(name)) return { outcome: 'unknown_source' };
  if (deps.config.enabled[name] === undefined) return { outcome: 'not_enabled' };
  const sync = await createSync(deps.db, name);
  try {
    await withTimeout(deps.sources.add(SYNC_JOB, { syncId: sync.id, source: name }, { jobId: `sync-${sync.id}` }), 2_000, 'queueing a sync');
  } catch {
    return { outcome: 'queue_unavailable', sync };
  }
  return { outcome: 'queued', sync };
}
