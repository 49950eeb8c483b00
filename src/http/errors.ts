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

/** The one place errors become HTTP answers. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const answer = (status: number, code: string, details?: unknown[]) => {
      res.locals.outcome = code;
      res.status(status).json(details ? { error: code, details } : { error: code });
    };
    if (err instanceof WebhookRejected) {
      log.info({ path: req.path, code: err.code, reason: err.message }, 'webhook rejected');
      return answer(400, err.code);
    }
    if (err instanceof VerificationUnavailable) {
      log.warn({ path: req.path, err }, 'webhook signature could not be checked');
      return answer(503, 'verification_unavailable');
    }
    if (err instanceof StoreUnavailable) {
      log.error({ path: req.path, err: err.cause }, 'the database could not take the write');
      return answer(503, err.code);
    }
    if (err instanceof InvalidRequest) return answer(400, 'invalid_request', err.details);
    if (err instanceof NotFound) return answer(404, err.code);
    if (err instanceof Refused) return answer(409, err.code, [{ message: err.reason }]);
    if (err instanceof QueueUnavailable) return answer(503, 'queue_unavailable', [{ message: err.reason }]);
    if (err instanceof HttpError) return answer(err.status, err.code, err.details);
    if (err instanceof ZodError) return answer(400, 'invalid_request', zodDetails(err));
    const parserError = err as BodyParserError;
    if (parserError.type === 'entity.too.large') return answer(413, 'payload_too_large');
    if (parserError.type === 'entity.parse.failed') return answer(400, 'malformed_body');
    if (parserError.status && parserError.status >= 400 && parserError.status < 500) return answer(parserError.status, 'bad_request');
    log.error({ path: req.path, err }, 'unhandled error');
    return answer(500, 'internal_error');
  };
}
