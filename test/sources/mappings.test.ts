import { OrderBody, ShipmentBody } from '../../src/evidence/records';
import { aftershipTracking } from '../../src/sources/aftership/mapping';
import { aftershipSlug, countryAlpha2, easypostCarrier } from '../../src/sources/commerce/carriers';
import { easypostTracking } from '../../src/sources/easypost/mapping';
import { shopifyOrderRecords, shopifyPaymentIds } from '../../src/sources/shopify/mapping';
import { ShopifyOrder } from '../../src/sources/shopify/schema';
import { wooNoteShipments, wooOrderRecords, wooPaymentIds } from '../../src/sources/woocommerce/mapping';
import { WooOrder } from '../../src/sources/woocommerce/schema';
import { fixtureJson } from '../support/fixtures';

const shopifyOrders = fixtureJson<{ orders: unknown[] }>('shopify/orders.json').orders.map((o) => ShopifyOrder.parse(o));
const wooOrders = fixtureJson<{ orders: unknown[] }>('woocommerce/orders.json').orders.map((o) => WooOrder.parse(o));

describe('Shopify order → our records', () => {
  it.each(shopifyOrders.map((o) => [o.name, o] as const))('%s maps to a valid OrderBody and ShipmentBodies', (_name, order) => {
    const pulled = shopifyOrderRecords(order, 'payment_id');
    expect(OrderBody.safeParse(pulled.order).error).toBeUndefined();
    for (const s of pulled.shipments) expect(ShipmentBody.safeParse(s.shipment).error).toBeUndefined();
  });

  it('#1001: amounts in minor units, addresses, items, IP, the fulfillment as a shipment', () => {
    expect(shopifyOrderRecords(shopifyOrders[0]!, 'payment_id')).toEqual({
      orderId: '1001',
      source: 'shopify',
      match: 'payment_id',
      order: {
        paymentIds: ['ch_3SfyNw2eZvKYlo2C1aB0c1001', 'pi_3SfyNw2eZvKYlo2C1pI001001'],
        placedAt: '2026-10-02T15:20:09Z',
        amount: { value: 8900, currency: 'USD' },
        customer: {
          name: 'Ava Chen',
          email: 'ava.chen@example.com',
          phone: '+1 415 555 0134',
          billingAddress: { line1: '1450 Valencia St', line2: 'Apt 3', city: 'San Francisco', state: 'CA', postalCode: '94110', country: 'US' },
          shippingAddress: { line1: '1450 Valencia St', line2: 'Apt 3', city: 'San Francisco', state: 'CA', postalCode: '94110', country: 'US' },
        },
        items: [
          { sku: 'NW-KETTLE-CU', description: 'Copper pour-over kettle', quantity: 1, unitAmount: 7900 },
          { sku: 'NW-FILTER-100', description: 'Paper filters (100)', quantity: 2, unitAmount: 500 },
        ],
        ip: '73.162.44.201',
      },
      shipments: [{ shipmentId: '1Z84W7E90312345671', shipment: { carrier: 'UPS', trackingNumber: '1Z84W7E90312345671', shippedAt: '2026-10-03T18:02:40Z', status: 'in_transit' } }],
    });
  });

  it('a delivered fulfillment keeps its delivery time; receipts give up their gateway ids, failed transactions none', () => {
    expect(shopifyOrderRecords(shopifyOrders[1]!, 'payment_id').shipments[0]!.shipment).toMatchObject({ status: 'delivered', deliveredAt: '2026-10-09T13:02:00Z' });
    const failed = { ...shopifyOrders[0]!, transactions: shopifyOrders[0]!.transactions.map((t) => ({ ...t, status: 'FAILURE' })) };
    expect(shopifyPaymentIds(failed)).toEqual([]);
    expect(shopifyOrderRecords(failed, 'email_amount').order.paymentIds).toEqual(['gid://shopify/Order/5720418517148']);
  });
});

describe('WooCommerce order → our records', () => {
  it.each(wooOrders.map((o) => [o.number, o] as const))('order %s maps to a valid OrderBody', (_n, order) => {
    const pulled = wooOrderRecords(order, 'payment_id');
    expect(OrderBody.safeParse(pulled.order).error).toBeUndefined();
  });

  it.each([
    ['727', ['ch_3WooNw2eZvKYlo2C1aB0c0727', 'pi_3WooNw2eZvKYlo2C1pI000727']],
    ['728', ['3C679366HH908993F', '5O190127TN364715T']],
    ['729', ['zKqE8dJ3x9Rb2T7yWnM4vPq1LsA']],
    ['730', []],
  ])('order %s carries payment ids %j', (number, ids) => {
    expect(wooPaymentIds(wooOrders.find((o) => o.number === number)!)).toEqual(ids);
  });

  it.each([
    ['Your order was shipped with DHL Express. Tracking number: JD014600006289990001', 'DHL Express', 'JD014600006289990001'],
    ['<p>Shipped via <b>Royal Mail</b>, tracking # AB123456789GB</p>', 'Royal Mail', 'AB123456789GB'],
    ['Tracking code is 9400111899223344556677 (USPS)', 'USPS', '9400111899223344556677'],
    ['Order status changed from Processing to Completed.', undefined, undefined],
  ])('note %j → %s %s', (note, carrier, number) => {
    const shipments = wooNoteShipments(wooOrders[0]!, [{ id: 1, note, date_created_gmt: '2026-10-13T09:02:00' }]);
    expect(shipments[0]?.shipment.carrier).toBe(carrier);
    expect(shipments[0]?.shipment.trackingNumber).toBe(number);
  });
});

describe('carriers and countries', () => {
  it.each([
    ['UPS', 'ups', 'UPS'],
    ['fedex', 'fedex', 'FedEx'],
    ['Royal Mail', 'royal-mail', 'RoyalMail'],
    ['DHL Express', 'dhl', 'DHLExpress'],
    ['Acme Couriers', undefined, undefined],
  ])('%s → AfterShip %s, EasyPost %s', (name, slug, carrier) => {
    expect(aftershipSlug(name)).toBe(slug);
    expect(easypostCarrier(name)).toBe(carrier);
  });

  it.each([['USA', 'US'], ['esp', 'ES'], ['GB', 'GB'], ['XX', undefined], [null, undefined]])('%s → %s', (code, alpha2) => {
    expect(countryAlpha2(code)).toBe(alpha2);
  });
});

describe('aggregator words → shipment status', () => {
  const checkpoint = (tag: string) => ({ checkpoint_time: '2026-10-05T10:00:00Z', message: tag, tag });
  it.each([
    ['InfoReceived', 'label_created'],
    ['InTransit', 'in_transit'],
    ['OutForDelivery', 'out_for_delivery'],
    ['AttemptFail', 'exception'],
    ['Exception', 'exception'],
    ['AvailableForPickup', 'in_transit'],
    ['Delivered', 'delivered'],
  ])('AfterShip %s → %s', (tag, status) => {
    expect(aftershipTracking({ id: 't1', tracking_number: 'N1', tag, checkpoints: [checkpoint(tag)] }).status).toBe(status);
  });

  it('AfterShip Pending or Expired with no checkpoint is unknown', () => {
    expect(aftershipTracking({ id: 't1', tracking_number: 'N1', tag: 'Pending', checkpoints: [] }).status).toBe('unknown');
    expect(aftershipTracking({ id: 't1', tracking_number: 'N1', tag: 'Expired', checkpoints: [] }).status).toBe('unknown');
  });

  it.each([
    ['pre_transit', 'label_created'],
    ['in_transit', 'in_transit'],
    ['out_for_delivery', 'out_for_delivery'],
    ['delivered', 'delivered'],
    ['return_to_sender', 'returned'],
    ['failure', 'exception'],
    ['unknown', 'unknown'],
  ])('EasyPost %s → %s', (status, ours) => {
    expect(easypostTracking({ id: 'trk_1', tracking_code: 'N1', status, tracking_details: [{ status, datetime: '2026-10-05T10:00:00Z', message: status }] }).status).toBe(ours);
  });
});
