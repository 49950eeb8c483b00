import type { IncomingHttpHeaders } from 'node:http';
import type { Provider } from '../db/schema';
import type { Normalized } from '../disputes/facts';
import type { EvidenceInput, Packet } from '../evidence/packet';
import type { Truncation } from '../evidence/text';

export type { Provider };

export type RejectionCode =
  | 'invalid_signature'
  | 'stale_timestamp'
  | 'untrusted_cert_url'
  | 'invalid_certificate'
  | 'malformed_body';

/** A request we refuse: answered 400, nothing stored. Never retried usefully by the provider. */
export class WebhookRejected extends Error {
  constructor(readonly code: RejectionCode, message: string = code) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

/** We could not check the request (a dependency of ours is down): answered 503 so the provider retries. */
export class VerificationUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VerificationUnavailable';
  }
}

export interface WebhookVerifier {
  /** Resolves when the raw bytes and headers carry a valid signature; throws WebhookRejected otherwise. */
  verify(raw: Buffer, headers: IncomingHttpHeaders): Promise<void>;
}

/** What the receiver needs to know of a verified event before storing it. */
export interface EventEnvelope {
  providerEventId: string;
  type: string;
}

export interface ProviderAdapter {
  readonly name: Provider;
  /** Headers that carry signatures: never stored, never logged. */
  readonly signatureHeaders: readonly string[];
  /** Reads the event id and type; throws WebhookRejected('malformed_body') for anything else. */
  parseEnvelope(json: unknown): EventEnvelope;
  /** Dispute events are stored and processed; everything else is acknowledged and dropped. */
  isDisputeEvent(type: string): boolean;
  /** A stored event's payload → canonical facts (pure). Throws a ZodError for a shape it does not know. */
  normalize(payload: unknown): Normalized;
  /** Canonical packet → the provider's own evidence payload, within its limits, cuts recorded (pure). */
  buildEvidence(packet: Packet, input: EvidenceInput): { truncations: Truncation[] } & Record<string, unknown>;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
