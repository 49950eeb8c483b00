import type { DeliveryLocation, Order, OrderMatch, Shipment, ShipmentStatus } from '../../evidence/records';
import type { PulledOrder, StoreClient, TrackingClient } from '../types';

/** What we know about the disputed payment that helps a store find its order. */
export interface PaymentHint {
  /** When the payment was made (ISO-8601), if the provider told us. */
  paidAt?: string;
  /** When the dispute opened: the order is older. */
  openedAt?: string;
}

/** An order as a store module hands it over: our record shapes, its origin and the rule that found it. */
export interface PulledStoreOrder extends PulledOrder {
  source: 'shopify' | 'woocommerce';
  match: OrderMatch;
  order: Order;
  shipments: Array<{ shipmentId: string; shipment: Shipment }>;
}

/** Kind "store", as the shops implement it: the same questions, answered with our record shapes. */
export interface StoreOrders extends StoreClient {
  orderByPaymentId(paymentIds: string[], hint?: PaymentHint): Promise<PulledStoreOrder | null>;
  orderByEmailAndAmount(q: { email: string; amount: { value: number; currency: string }; paidAt: string }): Promise<PulledStoreOrder | null>;
}

export interface CarrierEvent {
  at: string;
  status: string;
  location?: string;
}

/** The carrier's word on one tracking number, through an aggregator. */
export type CarrierTracking =
  | { status: 'unknown'; reason: string }
  | {
      status: ShipmentStatus;
      /** The aggregator's id for this tracking: later refreshes read it directly. */
      trackerId: string;
      deliveredAt?: string;
      signedBy?: string;
      proofOfDelivery?: string;
      deliveryLocation?: DeliveryLocation;
      /** Oldest first. */
      events: CarrierEvent[];
    };

/** Kind "tracking", as the aggregators implement it. */
export interface CarrierTracker extends TrackingClient {
  track(q: { carrier: string; trackingNumber: string; trackerId?: string }): Promise<CarrierTracking>;
}
