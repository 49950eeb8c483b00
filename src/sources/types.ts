import type { z } from 'zod';
import type { Logger } from '../log';

/** What a source gives the disputes: the customer's conversation, the order, or the carrier's word. */
export type SourceKind = 'helpdesk' | 'store' | 'tracking';

export interface SourceDeps {
  log: Logger;
  now?: () => Date;
  /** Waits between retries of a 429 (tests shorten nothing: Retry-After is honoured as sent). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * One evidence source, described by itself: a folder src/sources/<name>/ and a line in
 * src/sources/index.ts. Everything else (settings check, sync jobs, GET /api/sources) derives from the list.
 */
export interface SourceModule<Settings = unknown, Client = unknown> {
  readonly name: string;
  readonly kind: SourceKind;
  readonly displayName: string;
  /** The environment variables it reads (zod object, all optional), checked at start with the rest of config. */
  readonly env: z.ZodObject;
  /**
   * Parsed env → its settings, or undefined when its credentials are not set (the source is disabled).
   * Throws ConfigError naming the variable when half-configured.
   */
  settings(env: Record<string, unknown>): Settings | undefined;
  /** Values never to be logged (tokens, keys). */
  readonly secrets?: (settings: Settings) => string[];
  /** The vendor client at the settings' base URL (ZENDESK_API_BASE, …). */
  createClient(settings: Settings, deps: SourceDeps): Client;
}

/** Kind "helpdesk": what the domain needs from Zendesk, Gorgias, Freshdesk. Vendor words stay inside the module. */
export interface HelpdeskClient {
  /** Public messages of every ticket of these customer emails, oldest first, at most `limit`. */
  conversation(query: { emails: string[]; limit: number }): Promise<PulledMessage[]>;
  /** Internal note on the customer's most recent ticket (or a new ticket), tagged `chargeback`. */
  postNote(note: OutgoingMessage): Promise<PostedMessage>;
  /** Public reply on the customer's most recent ticket; null when the customer has no ticket to answer. */
  reply(reply: OutgoingMessage): Promise<PostedMessage | null>;
}

export interface OutgoingMessage {
  email: string;
  name?: string;
  subject: string;
  body: string;
}

export interface PostedMessage {
  ticketId: string;
  url: string;
}

export interface PulledMessage {
  sourceId: string;
  sourceUrl: string;
  ticketId: string;
  direction: 'inbound' | 'outbound';
  author: string;
  /** ISO-8601 */
  at: string;
  body: string;
}

/** Kind "store": the order behind a payment. */
export interface StoreClient {
  /** By provider payment id (Stripe ch_/pi_, PayPal capture, Square payment) among the store's transaction ids. */
  orderByPaymentId(paymentIds: string[]): Promise<PulledOrder | null>;
  /** Weaker: customer email and amount within 7 days of paidAt. */
  orderByEmailAndAmount(q: { email: string; amount: { value: number; currency: string }; paidAt: string }): Promise<PulledOrder | null>;
}

export interface PulledOrder {
  orderId: string;
  /** The OrderBody shape of src/evidence/records.ts */
  order: unknown;
  /** ShipmentBody shapes */
  shipments: Array<{ shipmentId: string; shipment: unknown }>;
}

/** Kind "tracking": the carrier's word on a shipment. */
export interface TrackingClient {
  /** Registers the tracking when unknown, returns its state; `unknown` when the aggregator cannot find it. */
  track(q: { carrier: string; trackingNumber: string }): Promise<TrackingResult>;
}

export type TrackingResult =
  | { status: 'unknown' }
  | {
      status: 'label_created' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception' | 'returned';
      deliveredAt?: string;
      signedBy?: string;
      proofOfDelivery?: string;
      events: Array<{ at: string; status: string; location?: string }>;
    };

/** The module list as the layer reads it. */
export type AnySourceModule = SourceModule<any, any>;
