import type { Dispute } from '../disputes/model';

export type SubmissionKind = 'submit' | 'accept' | 'offer' | 'message' | 'refund';
/** The kinds that end our side of a dispute: one of them, once, ever. */
export const FINAL_KINDS: readonly SubmissionKind[] = ['submit', 'accept'];
export type SubmissionStatus = 'queued' | 'sending' | 'sent' | 'failed';
export type RequestedBy = 'staff' | 'auto';

export interface ProviderAnswer {
  at: string;
  call: string;
  status: number | null;
  summary: string;
}

export interface Submission {
  id: string;
  /** The dispute answered; null for a refund of a warned charge (warningId set instead). */
  disputeId: string | null;
  warningId: string | null;
  kind: SubmissionKind;
  /** What was asked: offer type and amount, the message, a refund amount (empty for submit/accept). */
  request: Record<string, unknown>;
  status: SubmissionStatus;
  requestedBy: RequestedBy;
  attempts: number;
  providerAnswers: ProviderAnswer[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

/** Why a dispute no longer takes a response, or undefined when it does. */
export function whyNoResponse(dispute: Dispute, now: Date): string | undefined {
  if (dispute.status !== 'needs_response') return `the dispute is ${dispute.status.replace('_', ' ')}`;
  if (dispute.evidence.submittedAt) return 'evidence was already submitted';
  if (dispute.dueBy && new Date(dispute.dueBy) <= now) return 'the evidence deadline has passed';
  return undefined;
}

/**
 * The idempotency key a provider sees for one call of one submission: the same on every retry
 * and after a crash, different for each call a submission makes.
 */
export function idempotencyKey(submissionId: string, call: string): string {
  return `rebuttal-${submissionId}-${call}`;
}
