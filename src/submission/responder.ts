import type { Dispute } from '../disputes/model';
import type { StoredPacket } from '../evidence/packets';
import type { AcceptRequest, MessageRequest, OfferRequest, ProviderAction } from '../resolution/model';
import type { ProviderAnswer, SubmissionKind } from './model';

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
 * One per provider (src/providers/<name>/respond.ts): the irreversible calls, made through the
 * provider's SDK or REST API. Throws ProviderRejected for a 4xx; anything else is retried.
 * Offers and messages exist only where the provider has them (PayPal).
 */
export interface ProviderResponder {
  /** For a retry after a crash, "already answered" means our earlier call landed. `request` is what was asked. */
  remoteState(dispute: Dispute, kind: SubmissionKind, request?: Record<string, unknown>): Promise<RemoteState>;
  submit(dispute: Dispute, context: SubmitContext): Promise<void>;
  accept(dispute: Dispute, context: ResponseContext, request?: AcceptRequest): Promise<void>;
  offer?(dispute: Dispute, offer: OfferRequest, context: ResponseContext): Promise<void>;
  message?(dispute: Dispute, message: MessageRequest, context: ResponseContext): Promise<void>;
  /** What the provider's record allows now; absent when the provider has no such list. */
  allowedActions?(dispute: Dispute): Promise<Set<ProviderAction>>;
}
