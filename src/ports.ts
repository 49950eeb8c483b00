import type { DisputeFacts, Normalized } from './disputes/facts';
import type { Dispute, Money } from './disputes/model';
import type { Packet } from './evidence/packet';
import type { StoredPacket } from './evidence/packets';
import type { Truncation } from './evidence/text';
import type { AcceptRequest, MessageRequest, OfferRequest, ProviderAction } from './submission/actions';
import type { WarningFacts } from './resolution/warnings';
import type { PaymentFacts } from './sources/commerce/payment';
import type { ProviderAnswer, SubmissionKind } from './submission/model';

/**
 * What the domain needs from a payment provider, in the domain's own terms. Provider modules
 * (src/providers/<name>/module.ts) implement these; the stages receive them as dependencies and
 * never import src/providers.
 */

/** Reads a dispute from its provider's API, as canonical facts: completes partial webhooks. */
export type DisputeFetcher = (providerDisputeId: string) => Promise<DisputeFacts>;

/**
 * One dispute as a provider's dispute list shows it, already in the shape a webhook of that
 * provider carries, so it is stored and processed by the very pipeline a webhook goes through.
 */
export interface ListedDispute {
  /** Deterministic: the same provider state listed twice gives the same id, so it is stored once. */
  providerEventId: string;
  type: string;
  /** A webhook-shaped event body around the listed dispute (what the normalizer reads). */
  payload: unknown;
  /** What that body says, for deciding whether the store already holds it. */
  facts: DisputeFacts;
}

/**
 * Every dispute a provider says was created or changed since `since`, across all pages. Provider
 * refusals and outages are thrown: the run for that provider fails and its watermark stays put.
 */
export type DisputeLister = (since: Date) => AsyncIterable<ListedDispute>;

/** The provider's own evidence payload, within its limits, with what had to be cut. */
export type ProviderEvidence = { truncations: Truncation[] } & Record<string, unknown>;

/** What the provider's own record says right now, read before any irreversible call. */
export type RemoteState = 'takes_response' | 'already_answered' | 'closed';

export interface ResponseContext {
  /** The idempotency key of one named call of this submission (stable across retries and crashes). */
  keyFor(call: string): string;
  /** Keeps the provider's answer to one call on the submission. */
  record(answer: Omit<ProviderAnswer, 'at'>): Promise<void>;
}

export interface SubmitContext extends ResponseContext {
  packet: StoredPacket;
  pdf: Buffer;
}

/**
 * The irreversible calls, made through the provider's SDK or REST API. Throws ProviderRejected
 * (src/errors.ts) for a refusal; anything else is retried.
 */
export interface ProviderResponder {
  /** For a retry after a crash, "already answered" means our earlier call landed. `request` is what was asked. */
  remoteState(dispute: Dispute, kind: SubmissionKind, request?: Record<string, unknown>): Promise<RemoteState>;
  submit(dispute: Dispute, context: SubmitContext): Promise<void>;
  accept(dispute: Dispute, context: ResponseContext, request?: AcceptRequest): Promise<void>;
  /** Offers and messages to the buyer exist only where the provider has them (PayPal). */
  offer?(dispute: Dispute, offer: OfferRequest, context: ResponseContext): Promise<void>;
  message?(dispute: Dispute, message: MessageRequest, context: ResponseContext): Promise<void>;
  /** What the provider's record allows now; absent when the provider has no such list. */
  allowedActions?(dispute: Dispute): Promise<Set<ProviderAction>>;
}

/** What the provider's charge says before a refund: read first, so a retry after a crash does not refund twice. */
export type ChargeState = 'refundable' | 'disputed' | 'already_refunded' | 'fully_refunded';

/**
 * A provider's refund of a charge: one call with the submission's idempotency key. Throws
 * ProviderRejected for a refusal (Stripe's charge_disputed among them).
 */
export interface ChargeRefunder {
  /** `submissionId` finds a refund this submission already made (its metadata), so none is made twice. */
  chargeState(providerPaymentId: string, submissionId: string): Promise<ChargeState>;
  /** The charge's amount, for a warning recorded without one. */
  chargeAmount(providerPaymentId: string): Promise<Money | null>;
  refund(providerPaymentId: string, amount: Money | null, context: ResponseContext & { submissionId: string }): Promise<void>;
}

/** A provider's warning ahead of a dispute (Stripe's early fraud warnings) read from an event payload; undefined for any other event. */
export type WarningReader = (payload: unknown) => WarningFacts | undefined;

/** One provider, as the stages see it. The API-backed parts are absent without credentials. */
export interface ProviderPorts {
  /** A stored event's payload → canonical facts (pure). Throws for a shape it does not know. */
  normalize(payload: unknown): Normalized;
  /** Canonical packet → the provider's evidence payload (pure). */
  buildEvidence(packet: Packet): ProviderEvidence;
  fetchDispute?: DisputeFetcher;
  responder?: ProviderResponder;
  /** Reads its dispute list (reconciliation). */
  listDisputes?: DisputeLister;
  /** Refunds a charge before it becomes a chargeback (providers that warn: Stripe). */
  refunder?: ChargeRefunder;
  /** Reads warnings from events its normalizer ignores (pure; no credentials needed). */
  readWarning?: WarningReader;
  /** Who paid the disputed payment and when, and the other ids it goes by (matching store orders). */
  lookupPayment?: (dispute: Dispute) => Promise<PaymentFacts>;
}

/** Every registered provider's ports, by provider name. */
export type ProviderPortMap = ReadonlyMap<string, ProviderPorts>;

/** Each provider whose dispute list can be read (its API credentials are set), by name. */
export function listersOf(providers: ProviderPortMap): Map<string, DisputeLister> {
  return new Map([...providers].flatMap(([name, ports]) => (ports.listDisputes ? [[name, ports.listDisputes] as const] : [])));
}

/** The ports of a provider the dispute names; a provider that is not registered cannot happen past the receiver. */
export function portsOf(providers: ProviderPortMap, provider: string): ProviderPorts {
  const ports = providers.get(provider);
  if (!ports) throw new Error(`no provider module named ${provider} is registered`);
  return ports;
}
