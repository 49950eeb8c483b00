import type { OrderRecords } from '../../evidence/repository';

/** The order and shipments of GET /api/disputes/:id (CONTRACT "Evidence sources"), each with where it came from. */

export function orderView(records: OrderRecords | undefined) {
  if (!records) return null;
  return {
    orderId: records.orderId,
    source: records.source ?? 'api',
    match: records.match ?? null,
    origins: records.origins ?? [],
    ...records.order,
  };
}

export function shipmentsView(records: OrderRecords | undefined) {
  return (records?.shipments ?? []).map((s) => ({
    shipmentId: s.shipmentId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    status: s.status,
    shippedAt: s.shippedAt,
    deliveredAt: s.deliveredAt ?? null,
    signedBy: s.signedBy ?? null,
    source: s.source ?? 'api',
    origins: s.origins ?? [],
    events: s.events ?? [],
    deliveryAddress: s.deliveryAddress ?? null,
    deliveryLocation: s.deliveryLocation ?? null,
    proofOfDelivery: s.proofOfDelivery ?? null,
    tracking: s.tracking ? { provider: s.tracking.provider, state: s.tracking.state, ...(s.tracking.reason ? { reason: s.tracking.reason } : {}) } : null,
  }));
}
