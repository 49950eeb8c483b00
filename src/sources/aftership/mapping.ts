import type { DeliveryLocation, ShipmentStatus } from '../../evidence/records';
import { countryAlpha2 } from '../commerce/carriers';
import { optional } from '../commerce/mapping';
import type { CarrierTracking } from '../commerce/types';
import type { AfterShipTracking } from './schema';

/** AfterShip's words (tag, checkpoint) → the carrier's word in our shapes. Pure. */

const TAGS: Record<string, ShipmentStatus> = {
  InfoReceived: 'label_created',
  InTransit: 'in_transit',
  AvailableForPickup: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AttemptFail: 'exception',
  Exception: 'exception',
  Expired: 'exception',
  Delivered: 'delivered',
};

const iso = (value: string) => new Date(value).toISOString();

function locationOf(c: { city?: string | null; state?: string | null; postal_code?: string | null; country_region?: string | null }): DeliveryLocation | undefined {
  const location: DeliveryLocation = {
    ...optional('city', c.city?.trim() || undefined),
    ...optional('state', c.state?.trim() || undefined),
    ...optional('postalCode', c.postal_code?.trim() || undefined),
    ...optional('country', countryAlpha2(c.country_region)),
  };
  return Object.keys(location).length ? location : undefined;
}

/**
 * A tracking AfterShip found nothing for (still Pending with no scan, or Expired without any) is
 * "unknown": shown as such, refreshed on the normal interval, never retried in a loop.
 */
export function aftershipTracking(t: AfterShipTracking): CarrierTracking {
  const checkpoints = (t.checkpoints ?? [])
    .filter((c) => c.checkpoint_time && !Number.isNaN(Date.parse(c.checkpoint_time)))
    .sort((a, b) => Date.parse(a.checkpoint_time!) - Date.parse(b.checkpoint_time!));
  const tag = t.tag ?? 'Pending';
  if (checkpoints.length === 0 && (tag === 'Pending' || tag === 'Expired')) {
    return { status: 'unknown', reason: t.subtag_message?.trim() || `AfterShip has no scan for this tracking number (${tag})` };
  }
  const delivered = [...checkpoints].reverse().find((c) => c.tag === 'Delivered');
  const status: ShipmentStatus = t.subtag?.startsWith('Exception_011') ? 'returned' : TAGS[tag] ?? 'in_transit';
  const deliveredAt = t.shipment_delivery_date ? iso(t.shipment_delivery_date) : delivered ? iso(delivered.checkpoint_time!) : undefined;
  const pod = (t.proof_of_delivery ?? []).map((p) => p.url?.trim()).filter(Boolean);
  return {
    status,
    trackerId: t.id,
    events: checkpoints.map((c) => ({
      at: iso(c.checkpoint_time!),
      status: c.message?.trim() || c.subtag_message?.trim() || c.tag || 'scan',
      ...optional('location', c.location?.trim() || [c.city, c.state, c.postal_code, c.country_region].filter(Boolean).join(', ') || undefined),
    })),
    ...(status === 'delivered' ? optional('deliveredAt', deliveredAt) : {}),
    ...optional('signedBy', t.signed_by?.trim() || undefined),
    ...optional('proofOfDelivery', pod.length ? `AfterShip proof of delivery: ${pod.join(', ')}` : undefined),
    // Where the delivery scan happened, not the destination the shipper typed: that is what the carrier attests.
    ...(status === 'delivered' && delivered ? optional('deliveryLocation', locationOf(delivered)) : {}),
  };
}
