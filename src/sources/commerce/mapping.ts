import { isIP } from 'node:net';
import type { Address, Order, ShipmentStatus } from '../../evidence/records';

/** Small pure helpers the store mappings share. */

/** An address, or undefined when the store's lacks a street or a town (our record needs both). */
export function addressOf(a: { line1?: string | null; line2?: string | null; city?: string | null; state?: string | null; postalCode?: string | null; country?: string | null } | null | undefined): Address | undefined {
  if (!a?.line1?.trim() || !a.city?.trim() || !a.country || !/^[A-Za-z]{2}$/.test(a.country)) return undefined;
  return {
    line1: a.line1.trim(),
    ...(a.line2?.trim() ? { line2: a.line2.trim() } : {}),
    city: a.city.trim(),
    ...(a.state?.trim() ? { state: a.state.trim() } : {}),
    ...(a.postalCode?.trim() ? { postalCode: a.postalCode.trim() } : {}),
    country: a.country.toUpperCase(),
  };
}

export function ipOf(value: string | null | undefined): Order['ip'] {
  return value && isIP(value.trim()) ? value.trim() : undefined;
}

export function fullName(...parts: Array<string | null | undefined>): string {
  return parts.map((p) => p?.trim()).filter(Boolean).join(' ');
}

/** Unique, non-empty, in first-seen order. */
export function uniqueIds(ids: Array<string | null | undefined>): string[] {
  return [...new Set(ids.map((id) => id?.trim()).filter((id): id is string => !!id))];
}

/** A store's word for a parcel's state, in ours; unknown words read as "in transit" (it left the warehouse). */
export function shipmentStatusOf(word: string | null | undefined, table: Record<string, ShipmentStatus>): ShipmentStatus {
  return (word && table[word.toUpperCase()]) || 'in_transit';
}

/** `{ key: value }` when there is a value, `{}` otherwise: records carry no `undefined` fields. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** JSON with keys sorted: PostgreSQL's jsonb reorders keys, so equality is judged on this form. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
