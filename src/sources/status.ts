import type { Db } from '../db/pool';
import { SOURCES } from './index';
import { sourceActivity } from './repository';
import type { SourcesConfig } from './settings';
import type { AnySourceModule, SourceKind } from './types';

export interface SourceStatus {
  name: string;
  kind: SourceKind;
  displayName: string;
  enabled: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  records: number;
}

/** Every known source, enabled or not, with what its pulls left behind (GET /api/sources). */
export async function sourceStatuses(db: Db, config: SourcesConfig, modules: readonly AnySourceModule[] = SOURCES): Promise<SourceStatus[]> {
  const activity = await sourceActivity(db);
  return modules.map((m) => ({
    name: m.name,
    kind: m.kind,
    displayName: m.displayName,
    enabled: config.enabled[m.name] !== undefined,
    lastSyncAt: activity.get(m.name)?.lastSyncAt ?? null,
    lastError: activity.get(m.name)?.lastError ?? null,
    records: activity.get(m.name)?.records ?? 0,
  }));
}
