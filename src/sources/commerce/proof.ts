import type { DeliveryLocation, Shipment } from '../../evidence/records';
import type { CarrierTracking } from './types';

/** The carrier's word, merged into our shipment record. Pure. */

type Found = Exclude<CarrierTracking, { status: 'unknown' }>;

const place = (l: DeliveryLocation | undefined) => (l ? [l.city, l.state, l.postalCode, l.country].filter(Boolean).join(', ') : undefined);

/**
 * The proof-of-delivery line of the packet: the carrier's delivery checkpoint, quoted, with when,
 * where and who signed, and the aggregator it was read through.
 */
export function proofOfDelivery(carrier: string, provider: string, t: Found): string | undefined {
  if (t.status !== 'delivered') return t.proofOfDelivery;
  const scan = [...t.events].reverse().find((e) => /deliver/i.test(e.status)) ?? t.events.at(-1);
  const at = t.deliveredAt ?? scan?.at;
  const where = place(t.deliveryLocation) ?? scan?.location;
  const parts = [
    `${carrier} delivery scan${at ? ` ${at.slice(0, 16).replace('T', ' ')} UTC` : ''}${where ? ` at ${where}` : ''}${scan ? `: "${scan.status}"` : ''}`,
    t.signedBy ? `signed for by ${t.signedBy}` : undefined,
    `(${provider} tracking)`,
    t.proofOfDelivery,
  ];
  return parts.filter(Boolean).join(', ').replace(', (', ' (');
}

/**
 * A shipment with the carrier's facts. A record the merchant pushed keeps what it says and only
 * gains what it lacks; a pulled one takes the carrier's state (it is newer than the store's).
 */
export function withCarrierFacts(shipment: Shipment, t: Found, provider: string, pushed: boolean): Shipment {
  const proof = proofOfDelivery(shipment.carrier, provider, t);
  const carrierFacts: Partial<Shipment> = {
    status: t.status,
    ...(t.events.length ? { events: t.events } : {}),
    ...(t.deliveredAt ? { deliveredAt: t.deliveredAt } : {}),
    ...(t.signedBy ? { signedBy: t.signedBy } : {}),
    ...(t.deliveryLocation ? { deliveryLocation: t.deliveryLocation } : {}),
    ...(proof ? { proofOfDelivery: proof } : {}),
  };
  if (!pushed) return { ...shipment, ...carrierFacts };
  const filled: Shipment = { ...shipment };
  for (const [key, value] of Object.entries(carrierFacts) as Array<[keyof Shipment, never]>) {
    if (key === 'status') continue;
    if (filled[key] === undefined || (key === 'events' && !filled.events?.length)) filled[key] = value;
  }
  if (t.status === 'delivered' && shipment.status !== 'delivered') filled.status = 'delivered';
  return filled;
}
