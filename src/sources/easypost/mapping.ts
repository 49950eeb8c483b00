import type { DeliveryLocation, ShipmentStatus } from '../../evidence/records';
import { countryAlpha2 } from '../commerce/carriers';
import { optional } from '../commerce/mapping';
import type { CarrierTracking } from '../commerce/types';
import type { EasyPostTracker } from './schema';

/** EasyPost's words (tracker, tracking detail) → the carrier's word in our shapes. Pure. */

const STATUSES: Record<string, ShipmentStatus> = {
  pre_transit: 'label_created',
  in_transit: 'in_transit',
  available_for_pickup: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  return_to_sender: 'returned',
  failure: 'exception',
  cancelled: 'exception',
  error: 'exception',
};

const iso = (value: string) => new Date(value).toISOString();

export function easypostTracking(t: EasyPostTracker): CarrierTracking {
  const details = (t.tracking_details ?? [])
    .filter((d) => d.datetime && !Number.isNaN(Date.parse(d.datetime)))
    .sort((a, b) => Date.parse(a.datetime!) - Date.parse(b.datetime!));
  const status = STATUSES[t.status];
  if (!status || (t.status === 'error' && details.length === 0)) {
    return { status: 'unknown', reason: `EasyPost reports "${t.status}"${t.status_detail ? ` (${t.status_detail})` : ''} for this tracking number` };
  }
  const delivered = [...details].reverse().find((d) => d.status === 'delivered');
  const place = delivered?.tracking_location;
  const location: DeliveryLocation | undefined = place
    ? { ...optional('city', place.city?.trim() || undefined), ...optional('state', place.state?.trim() || undefined), ...optional('postalCode', place.zip?.trim() || undefined), ...optional('country', countryAlpha2(place.country)) }
    : undefined;
  return {
    status,
    trackerId: t.id,
    events: details.map((d) => {
      const l = d.tracking_location;
      return { at: iso(d.datetime!), status: d.message?.trim() || d.description?.trim() || d.status || 'scan', ...optional('location', [l?.city, l?.state, l?.zip, l?.country].filter(Boolean).join(', ') || undefined) };
    }),
    ...(status === 'delivered' ? optional('deliveredAt', delivered?.datetime ? iso(delivered.datetime) : undefined) : {}),
    ...optional('signedBy', t.signed_by?.trim() || undefined),
    ...(status === 'delivered' && location && Object.keys(location).length ? { deliveryLocation: location } : {}),
  };
}
