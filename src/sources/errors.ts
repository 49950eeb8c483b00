import type { z } from 'zod';
import { PermanentFailure } from '../errors';

/**
 * The vendor refused our credentials (401/403): permanent until someone fixes the token. Shown as
 * the source's lastError, one staff alert per source per day, never retried.
 */
export class SourceAuthFailed extends PermanentFailure {
  constructor(readonly source: string, readonly status: number, vendorMessage: string) {
    super(`${source} refused the credentials (${status}): ${vendorMessage}`);
    this.name = 'SourceAuthFailed';
  }
}

/** The vendor answered with a shape we do not know: that pull fails, nothing is written. */
export class SourcePayloadInvalid extends PermanentFailure {
  constructor(readonly source: string, what: string, detail: string) {
    super(`${source} answered ${what} with an unexpected payload: ${detail}`);
    this.name = 'SourcePayloadInvalid';
  }
}

/** A vendor payload through its schema; one of another shape fails the pull naming the first field wrong (`whole` when none is named). */
export function parseVendorPayload<T>(schema: z.ZodType<T>, data: unknown, source: string, what: string, whole: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new SourcePayloadInvalid(source, what, `${issue?.path.join('.') || whole}: ${issue?.message}`);
}

/** A 4xx other than 401/403/429: our request is wrong for this account; retrying will not help. */
export class SourceRejected extends PermanentFailure {
  constructor(readonly source: string, readonly status: number, vendorMessage: string) {
    super(`${source} refused the request (${status}): ${vendorMessage}`);
    this.name = 'SourceRejected';
  }
}

/** 5xx, timeouts, resets, 429 past our patience: the job is retried with backoff. */
export class SourceUnavailable extends Error {
  constructor(readonly source: string, detail: string) {
    super(`${source} is unavailable: ${detail}`);
    this.name = 'SourceUnavailable';
  }
}


/**
 * A vendor's failed answer as our error class: 401/403 the credentials, 429 (once our patience
 * is spent) and 5xx or no answer at all (status 0) worth a retry, any other 4xx a refusal.
 */
export function vendorFailure(source: string, status: number, what: string, vendorMessage: string): Error {
  if (status === 401 || status === 403) return new SourceAuthFailed(source, status, vendorMessage);
  if (status === 429) return new SourceUnavailable(source, `${what}: rate limited (429)`);
  if (status >= 400 && status < 500) return new SourceRejected(source, status, `${what}: ${vendorMessage}`);
  return new SourceUnavailable(source, `${what}: ${status ? `answered ${status}` : vendorMessage}`);
}
