import { compareDelivery } from '../../src/evidence/delivery-address';
import { addOrigin, chooseOrder, mergeOrderRow, strength } from '../../src/sources/commerce/origins';
import { proofOfDelivery, withCarrierFacts } from '../../src/sources/commerce/proof';
import type { Shipment } from '../../src/evidence/records';

describe('one order per dispute: the stronger tie wins, every origin listed', () => {
  it.each([
    [{ source: 'api' }, 3],
    [{ source: 'import' }, 3],
    [{ source: 'shopify', match: 'payment_id' }, 2],
    [{ source: 'woocommerce', match: 'email_amount' }, 1],
  ] as const)('%j ranks %d', (o, rank) => expect(strength(o)).toBe(rank));

  it.each([
    ['nothing held', undefined, { orderId: '1001', source: 'shopify', match: 'email_amount' }, 'adopt'],
    ['the same order', { orderId: '1001', source: 'shopify', match: 'email_amount' }, { orderId: '1001', source: 'shopify', match: 'payment_id' }, 'merge'],
    ['a weak order, then a payment-id one', { orderId: '1005', source: 'shopify', match: 'email_amount' }, { orderId: '727', source: 'woocommerce', match: 'payment_id' }, 'adopt'],
    ['a payment-id order, then a weak one', { orderId: '727', source: 'woocommerce', match: 'payment_id' }, { orderId: '1005', source: 'shopify', match: 'email_amount' }, 'keep'],
    ['two payment-id orders', { orderId: '727', source: 'woocommerce', match: 'payment_id' }, { orderId: '1001', source: 'shopify', match: 'payment_id' }, 'keep'],
    ['the merchant\'s own order', { orderId: 'order-1', source: 'api', match: null }, { orderId: '1001', source: 'shopify', match: 'payment_id' }, 'keep'],
  ] as const)('%s → %s', (_what, held, found, decision) => {
    expect(chooseOrder(held, found)).toBe(decision);
  });

  it('the merchant\'s row of the same id keeps its data; the pull joins its origins', () => {
    expect(mergeOrderRow({ source: 'api', match: null, origins: [{ source: 'api' }] }, { source: 'shopify', match: 'payment_id' })).toEqual({
      replaceData: false,
      match: null,
      origins: [{ source: 'api' }, { source: 'shopify', match: 'payment_id' }],
    });
  });

  it('a pulled row upgrades from email + amount to payment id, never back', () => {
    expect(mergeOrderRow({ source: 'shopify', match: 'email_amount', origins: [{ source: 'shopify', match: 'email_amount' }] }, { source: 'shopify', match: 'payment_id' })).toMatchObject({ replaceData: true, match: 'payment_id' });
    expect(mergeOrderRow({ source: 'shopify', match: 'payment_id', origins: [] }, { source: 'shopify', match: 'email_amount' })).toMatchObject({ replaceData: false, match: 'payment_id' });
  });

  it('an origin is listed once', () => {
    const once = addOrigin([], { source: 'shopify', match: 'email_amount', orderId: '1005' });
    expect(addOrigin(once, { source: 'shopify', match: 'email_amount', orderId: '1005' })).toEqual(once);
  });
});

describe('delivery place against the order\'s shipping address', () => {
  const ordered = { line1: '1450 Valencia St', line2: 'Apt 3', city: 'San Francisco', state: 'CA', postalCode: '94110', country: 'US' };
  it.each([
    ['the same full address (case, punctuation)', { address: { ...ordered, line1: '1450 VALENCIA ST.' } }, 'match'],
    ['another street', { address: { ...ordered, line1: '12 Mission St' } }, 'mismatch'],
    ['the scan postcode', { location: { city: 'SAN FRANCISCO', postalCode: '94110', country: 'US' } }, 'match'],
    ['another postcode', { location: { city: 'Daly City', postalCode: '94014', country: 'US' } }, 'mismatch'],
    ['another country', { location: { city: 'London', country: 'GB' } }, 'mismatch'],
    ['a town only', { location: { city: 'San Francisco' } }, 'match'],
    ['nothing to compare', { location: { country: 'US' } }, undefined],
  ] as const)('%s → %s', (_what, delivered, result) => {
    expect(compareDelivery(ordered, delivered)).toBe(result);
  });
});

describe('the carrier\'s word on a shipment', () => {
  const delivered = {
    status: 'delivered' as const,
    trackerId: 't1',
    deliveredAt: '2026-10-06T21:12:00.000Z',
    signedBy: 'A CHEN',
    deliveryLocation: { city: 'San Francisco', state: 'CA', postalCode: '94110', country: 'US' },
    events: [
      { at: '2026-10-05T04:10:00.000Z', status: 'Departed from Facility', location: 'Oakland, CA, US' },
      { at: '2026-10-06T21:12:00.000Z', status: 'DELIVERED - Front Door', location: 'San Francisco, CA 94110, US' },
    ],
  };
  const merchant: Shipment = { carrier: 'UPS', trackingNumber: '1Z', shippedAt: '2026-10-03T18:02:40Z', status: 'in_transit', proofOfDelivery: 'Photo on file' };

  it('proof of delivery quotes the delivery checkpoint, when, where, who signed, and through which aggregator', () => {
    expect(proofOfDelivery('UPS', 'AfterShip', delivered)).toBe('UPS delivery scan 2026-10-06 21:12 UTC at San Francisco, CA, 94110, US: "DELIVERED - Front Door", signed for by A CHEN (AfterShip tracking)');
  });

  it('a pulled shipment takes the carrier\'s state; the merchant\'s keeps its own words and gains only what it lacked', () => {
    expect(withCarrierFacts({ ...merchant, proofOfDelivery: undefined }, delivered, 'AfterShip', false)).toMatchObject({ status: 'delivered', signedBy: 'A CHEN', events: delivered.events });
    const pushed = withCarrierFacts(merchant, delivered, 'AfterShip', true);
    expect(pushed).toMatchObject({ status: 'delivered', proofOfDelivery: 'Photo on file', signedBy: 'A CHEN', deliveredAt: '2026-10-06T21:12:00.000Z' });
  });
});
