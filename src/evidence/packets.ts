import { createHash } from 'node:crypto';
import type { Db } from '../db/pool';
import type { Packet } from './packet';
import type { Policies } from './records';
import type { OrderRecords } from './repository';
import type { Truncation } from './text';

/** A packet as stored: immutable, with the evidence it was built from and the provider's payload. */
export interface StoredPacket extends Packet {
  hash: string;
  createdAt: string;
  orderId: string | null;
  providerPayload: Record<string, unknown>;
  truncations: Truncation[];
  snapshot: { records?: OrderRecords; policies: Policies; priorOrders: Array<{ orderId: string; placedAt: string }> };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Stores the packet unless the same content is already stored for the dispute; tells which. */
export async function storePacket(db: Db, content: Omit<StoredPacket, 'hash' | 'createdAt'>): Promise<{ packet: StoredPacket; created: boolean }> {
  const hash = contentHash(content);
  const inserted = await db
    .insertInto('packets')
    .values({ dispute_id: content.disputeId, hash, packet: JSON.stringify(content) })
    .onConflict((oc) => oc.columns(['dispute_id', 'hash']).doNothing())
    .returning(['created_at'])
    .executeTakeFirst();
  if (inserted) return { packet: { ...content, hash, createdAt: inserted.created_at.toISOString() }, created: true };
  return { packet: (await latestPacket(db, content.disputeId, hash))!, created: false };
}

export async function latestPacket(db: Db, disputeId: string, hash?: string): Promise<StoredPacket | undefined> {
  let query = db.selectFrom('packets').select(['packet', 'hash', 'created_at']).where('dispute_id', '=', disputeId);
  if (hash) query = query.where('hash', '=', hash);
  const row = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && { ...(row.packet as Omit<StoredPacket, 'hash' | 'createdAt'>), hash: row.hash, createdAt: row.created_at.toISOString() };
}
