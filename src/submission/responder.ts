import type { Dispute } from '../disputes/model';
import type { StoredPacket } from '../evidence/packets';
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
 */
export interface ProviderResponder {
  /** For a retry after a crash, "already answered" means our earlier call landed. */
  remoteState(dispute: Dispute, kind: SubmissionKind): Promise<RemoteState>;
  submit(dispute: Dispute, context: SubmitContext): Promise<void>;
  accept(dispute: Dispute, context: ResponseContext): Promise<void>;
}
