import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../log';
import { InvalidRequest, NotFound, QueueUnavailable, Refused, VerificationUnavailable, WebhookRejected } from '../errors';

/** An answer decided by a route: status, error code, optional details. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, readonly details?: unknown[]) {
    super(code);
    this.name = 'HttpError';
  }
}

/** The system of record cannot take the write: 503, so a provider retries later. */
export class StoreUnavailable extends HttpError {
  constructor(override readonly cause: unknown) {
    super(503, 'store_unavailable');
  }
}

export function zodDetails(error: ZodError): unknown[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

type BodyParserError = { type?: string; status?: number };

export interface ErrorAnswer {
  status: number;
  code: string;
  details?: unknown[];
}

/** The one place errors become HTTP answers (logged as their kind deserves), for Express and the webhook handler alike. */
export function errorAnswer(err: unknown, log: Logger, path: string): ErrorAnswer {
  if (err instanceof WebhookRejected) {
    log.info({ path, code: err.code, reason: err.message }, 'webhook rejected');
    return { status: 400, code: err.code };
  }
  if (err instanceof VerificationUnavailable) {
    log.warn({ path, err }, 'webhook signature could not be checked');
    return { status: 503, code: 'verification_unavailable' };
  }
  if (err instanceof StoreUnavailable) {
    log.error({ path, err: err.cause }, 'the database could not take the write');
    return { status: 503, code: err.code };
  }
  if (err instanceof InvalidRequest) return { status: 400, code: 'invalid_request', details: err.details };
  if (err instanceof NotFound) return { status: 404, code: err.code };
  if (err instanceof Refused) return { status: 409, code: err.code, details: [{ message: err.reason }] };
  if (err instanceof QueueUnavailable) return { status: 503, code: 'queue_unavailable', details: [{ message: err.reason }] };
  if (err instanceof HttpError) return { status: err.status, code: err.code, details: err.details };
  if (err instanceof ZodError) return { status: 400, code: 'invalid_request', details: zodDetails(err) };
  const parserError = err as BodyParserError;
  if (parserError.type === 'entity.too.large') return { status: 413, code: 'payload_too_large' };
  if (parserError.type === 'entity.parse.failed') return { status: 400, code: 'malformed_body' };
  if (parserError.status && parserError.status >= 400 && parserError.status < 500) return { status: parserError.status, code: 'bad_request' };
  log.error({ path, err }, 'unhandled error');
  return { status: 500, code: 'internal_error' };
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const { status, code, details } = errorAnswer(err, log, req.path);
    res.locals.outcome = code;
    res.status(status).json(details ? { error: code, details } : { error: code });
  };
}
