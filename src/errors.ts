import { UnrecoverableError } from 'bullmq';

/**
 * The decisions the domain makes, as error classes (STYLE.md §3). Services throw these; the edges
 * map them: `http/errors.ts` to status codes, the queue processors to job outcomes. Every class
 * sets `name`, so the decision survives a process boundary (BullMQ keeps `name`).
 */

export type RejectionCode =
  | 'invalid_signature'
  | 'stale_timestamp'
  | 'untrusted_cert_url'
  | 'invalid_certificate'
  | 'malformed_body';

/** A webhook we refuse: answered 400, nothing stored. Never retried usefully by the provider. */
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

/** What was asked for does not exist (answered 404). `code` names it: `dispute_not_found`, … */
export class NotFound extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'NotFound';
  }
}

/** A request whose content is wrong, named field by field (answered 400 `invalid_request`); nothing changed. */
export class InvalidRequest extends Error {
  constructor(readonly details: Array<{ path: string; message: string }>) {
    super(details.map((d) => `${d.path}: ${d.message}`).join('; '));
    this.name = 'InvalidRequest';
  }
}

/** The request is understood but the current state does not take it (answered 409). */
export class Refused extends Error {
  constructor(readonly code: string, readonly reason: string) {
    super(reason);
    this.name = 'Refused';
  }
}

/** The work is recorded but could not be queued (Redis away): answered 503, ask again later. */
export class QueueUnavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'QueueUnavailable';
  }
}

/** The job cannot succeed by trying again (a payload of an unknown shape, a provider's refusal). */
export class PermanentFailure extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/**
 * A provider or vendor refused the call (a 4xx other than 408/429): sending it again would be
 * refused again. Work that meets it fails with the provider's own words.
 */
export class ProviderRejected extends Error {
  constructor(readonly provider: string, readonly status: number, message: string) {
    super(`${provider} refused the request (${status}): ${message}`);
    this.name = 'ProviderRejected';
  }
}

/** A 4xx is a refusal, except 408 (timeout) and 429 (too many requests), which say "later". */
export function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** An SDK error with a refusal status becomes ProviderRejected; anything else stays retryable as it is. */
export function rejectedOr(provider: string, err: unknown): unknown {
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && isRefusal(status)) {
    return new ProviderRejected(provider, status, (err as { message?: string }).message ?? `HTTP ${status}`);
  }
  return err;
}

/**
 * The one place that decides whether trying again can help. Permanent: our PermanentFailure,
 * a provider's refusal, and anything whose `name` says so after crossing a process boundary.
 * Everything else (timeouts, resets, 5xx, 429) is retried under the queue's policy.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentFailure || err instanceof ProviderRejected || err instanceof UnrecoverableError) return true;
  const name = (err as { name?: string } | null)?.name;
  return name === 'PermanentFailure' || name === 'ProviderRejected' || name === 'UnrecoverableError';
}
