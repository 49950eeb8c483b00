import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { Normalized } from '../disputes/facts';
import type { Dispute } from '../disputes/model';
import type { PaymentFacts } from '../sources/commerce/payment';
import type { Packet } from '../evidence/packet';
import type { ChargeRefunder, DisputeFetcher, DisputeLister, ProviderEvidence, ProviderResponder, WarningReader } from '../ports';

export interface WebhookVerifier {
  /** Resolves when the raw bytes and headers carry a valid signature; throws WebhookRejected otherwise. */
  verify(raw: Buffer, headers: IncomingHttpHeaders): Promise<void>;
}

/** What the receiver needs to know of a verified event before storing it. */
export interface EventEnvelope {
  providerEventId: string;
  type: string;
}

export interface VerifierOptions {
  /** Extra CA for fetching PayPal certificates (tests serve them from a local https host). */
  paypalCertCa?: string | Buffer;
}

/** One line of `rebuttal doctor`. */
export interface SettingCheck {
  level: 'ok' | 'warn' | 'FAIL';
  what: string;
  detail: string;
}

export type JsonObject = { [key: string]: unknown };

/** What `rebuttal replay` needs to send a fixture as the provider would. */
export interface ReplaySupport<Settings> {
  /** Whether this payload's envelope is this provider's. */
  detect(payload: JsonObject): boolean;
  eventId(payload: JsonObject): string;
  /** A new event id shaped like the provider's own (`evt_…`, `WH-…-…`, a UUID). */
  newEventId(): string;
  /** When the event happened by the provider's clock, in ms (NaN when the payload does not say). */
  eventTime(payload: JsonObject): number;
  /** A new event id, and every time in the payload moved by `offsetMs`; nothing else changes. */
  freshen(payload: JsonObject, offsetMs: number): JsonObject;
  /** The headers the provider would send with this body; throws SigningNotConfigured without its secret. */
  sign(body: string | Buffer, settings: Settings): Record<string, string>;
}

/** Replay cannot sign for a provider whose secret is not set. */
export class SigningNotConfigured extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningNotConfigured';
  }
}

/**
 * A payment provider, described by itself: everything Rebuttal derives for a provider (the
 * webhook route, the settings, log redaction, doctor, replay, the domain's ports) comes from
 * this one object. Adding a provider is its folder and one line in src/providers/index.ts.
 */
export interface ProviderModule<Name extends string = string, Settings = any, Client = any> {
  readonly name: Name;
  readonly displayName: string;
  /** Its environment variables (optional strings), checked at start with every other setting. */
  readonly env: z.ZodRawShape;
  /** The parsed variables → its settings. Throws ConfigError naming the variable for a half-made setup. */
  settings(env: Record<string, unknown>): Settings;
  /** Settings keys that hold secrets: redacted wherever a settings object could be logged. */
  readonly secretSettings: readonly string[];
  /** The variables that switch it on, as a person is told to set them: its webhooks, and its API (submissions). */
  readonly setup: { receive: string; submit: string };
  /** Headers that carry signatures: never stored, never logged. */
  readonly signatureHeaders: readonly string[];

  /** Reads the event id and type; throws WebhookRejected('malformed_body') for anything else. */
  parseEnvelope(json: unknown): EventEnvelope;
  /** Dispute events are stored and processed; everything else is acknowledged and dropped. */
  isDisputeEvent(type: string): boolean;
  /** A stored event's payload → canonical facts (pure). Throws a ZodError for a shape it does not know. */
  normalize(payload: unknown): Normalized;
  /** Canonical packet → the provider's own evidence payload, within its limits, cuts recorded (pure). */
  buildEvidence(packet: Packet): ProviderEvidence;

  /** The webhook verifier; undefined while its secret is unset (the provider is off: 404). */
  verifier(settings: Settings, options: VerifierOptions): WebhookVerifier | undefined;
  /** The API client at its base URL; undefined without credentials (nothing fetched or submitted). */
  client(settings: Settings): Client | undefined;
  fetcher(client: Client): DisputeFetcher;
  responder(client: Client): ProviderResponder;
  /** Its dispute list since a moment, every page, as webhook-shaped events (reconciliation). */
  lister(client: Client): DisputeLister;
  /** Refunds ahead of a chargeback, for providers that warn (Stripe). */
  refunder?(client: Client): ChargeRefunder;
  /** Who paid the disputed payment and when (a dispute with a payment id), for the stores' order matching. */
  payment?(client: Client): (dispute: Dispute) => Promise<PaymentFacts>;
  /** Reads a warning (early fraud warning) from an event its normalizer ignores. */
  readWarning?: WarningReader;

  /** What its settings say, without the network (`rebuttal doctor`). */
  checks(settings: Settings): SettingCheck[];
  /** Checks that need the network, if any. */
  networkChecks?(settings: Settings): Promise<SettingCheck[]>;
  readonly replay: ReplaySupport<Settings>;
}

/** Keeps the module's name literal and its parts typed together. */
export function defineProvider<Name extends string, Settings, Client>(module: ProviderModule<Name, Settings, Client>): ProviderModule<Name, Settings, Client> {
  return module;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export const ok = (what: string, detail = ''): SettingCheck => ({ level: 'ok', what, detail });
export const warn = (what: string, detail: string): SettingCheck => ({ level: 'warn', what, detail });
export const fail = (what: string, detail: string): SettingCheck => ({ level: 'FAIL', what, detail });
