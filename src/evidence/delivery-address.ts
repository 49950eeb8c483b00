import type { Address, DeliveryLocation } from './records';

/** Where the carrier delivered, against where the order was to be shipped. Pure. */

export interface DeliveryAddressCheck {
  result: 'match' | 'mismatch';
  shipmentId: string;
  /** What the carrier (or the merchant's record) says, in words. */
  delivered: string;
  /** The order's shipping address, in words. */
  ordered: string;
}

const norm = (s: string | undefined) => (s ?? '').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');

export const formatLocation = (l: DeliveryLocation) => [l.city, l.state, l.postalCode, l.country].filter(Boolean).join(', ');

/**
 * A full delivery address compares street, town, postcode and country; a carrier's scan location
 * (town, postcode, country) compares what it has. Too little to compare → no verdict at all.
 */
export function compareDelivery(ordered: Address | undefined, delivered: { address?: Address; location?: DeliveryLocation }): 'match' | 'mismatch' | undefined {
  if (!ordered) return undefined;
  if (delivered.address) {
    const key = (a: Address) => [a.line1, a.line2, a.city, a.postalCode, a.country].map(norm).join('|');
    return key(delivered.address) === key(ordered) ? 'match' : 'mismatch';
  }
  const l = delivered.location;
  if (!l || (!l.postalCode && !l.city)) return undefined;
  if (l.country && norm(l.country) !== norm(ordered.country)) return 'mismatch';
  if (l.postalCode && ordered.postalCode) return norm(l.postalCode) === norm(ordered.postalCode) ? 'match' : 'mismatch';
  if (l.city) return norm(l.city) === norm(ordered.city) ? 'match' : 'mismatch';
  return undefined;
}
