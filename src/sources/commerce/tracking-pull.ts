import type { Db } from '../../db/pool';
import type { EvidenceInput } from '../../evidence/packet';
import { PUSHED_SOURCES, type RecordSource, type Shipment } from '../../evidence/records';
import type { RecordOrigin, ShipmentTracking, StoredShipment } from '../../evidence/repository';
import type { Logger } from '../../log';
import { maskCardNumbers } from '../../log';
import { canonicalJson } from './mapping';
import { addOrigin } from './origins';
import { withCarrierFacts } from './proof';
import type { CarrierTracker } from './types';

export interface TrackingQuestion {
  orderId: string;
  shipments: Array<{ shipmentId: string; carrier: string; trackingNumber: string; trackerId?: string }>;
}

/** A parcel is asked about until the carrier confirms delivery and we hold its scans. */
export const needsTracking = (s: StoredShipment) => !(s.status === 'delivered' || s.deliveredAt) || !s.events?.length;

export function trackingQuery(input: EvidenceInput): TrackingQuestion | undefined {
  const r = input.records;
  const shipments = (r?.shipments ?? []).filter(needsTracking).map((s) => ({
    shipmentId: s.shipmentId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    ...(s.tracking?.trackerId ? { trackerId: s.tracking.trackerId } : {}),
  }));
  return r && shipments.length ? { orderId: r.orderId, shipments } : undefined;
}

const storable = (value: unknown) => maskCardNumbers(JSON.stringify(value));
const sameJson = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * Asks the aggregator about every parcel of the question and writes what changed. A number it cannot
 * track is recorded as `unknown` (shown as such; asked again only on the next interval, never in a loop).
 */
export async function pullTracking(
  deps: { db: Db; log: Logger },
  provider: 'aftership' | 'easypost',
  tracker: CarrierTracker,
  question: TrackingQuestion,
): Promise<{ records: number; changed: number; changedOrders: string[] }> {
  let changed = 0;
  let records = 0;
  for (const parcel of question.shipments) {
    const result = await tracker.track(parcel);
    const row = await deps.db
      .selectFrom('shipments')
      .select(['data', 'source', 'origins', 'tracking'])
      .where('order_id', '=', question.orderId)
      .where('shipment_id', '=', parcel.shipmentId)
      .executeTakeFirst();
    if (!row) continue;
    const shipment = row.data as unknown as Shipment;
    const pushed = PUSHED_SOURCES.includes(row.source as RecordSource);
    let tracking: ShipmentTracking;
    let data = shipment;
    let source = row.source;
    let origins = row.origins as RecordOrigin[];
    if (result.status === 'unknown') {
      tracking = { provider, state: 'unknown', reason: result.reason, ...(parcel.trackerId ? { trackerId: parcel.trackerId } : {}) };
      deps.log.info({ provider, orderId: question.orderId, shipmentId: parcel.shipmentId }, 'the aggregator cannot track this number (shown as unknown)');
    } else {
      records += 1 + result.events.length;
      tracking = { provider, state: 'found', trackerId: result.trackerId };
      data = withCarrierFacts(shipment, result, provider === 'aftership' ? 'AfterShip' : 'EasyPost', pushed);
      // A pulled parcel now speaks with the carrier's voice; the merchant's stays theirs.
      if (!pushed) source = provider;
      origins = addOrigin(origins, { source: provider });
    }
    const stored = JSON.parse(storable(data)) as unknown;
    if (sameJson(stored, row.data) && sameJson(tracking, row.tracking) && source === row.source && sameJson(origins, row.origins)) continue;
    await deps.db
      .updateTable('shipments')
      .set({ data: JSON.stringify(stored), tracking: JSON.stringify(tracking), source, origins: JSON.stringify(origins), updated_at: new Date() })
      .where('order_id', '=', question.orderId)
      .where('shipment_id', '=', parcel.shipmentId)
      .execute();
    changed++;
  }
  return { records, changed, changedOrders: changed ? [question.orderId] : [] };
}
