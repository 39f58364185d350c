import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, UnavailableError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/** The error body every client can rely on. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
  requestId: string;
}

export const notFound: RequestHandler = (req) => {
  throw new AppError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}.`, 404);
};

/**
 * Maps errors to `{ error: { code, message, details? }, requestId }`. AppErrors keep their code and
 * status; anything else is a 500 whose details stay in the log. Body-parser errors are client errors.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const requestId = String(res.locals.requestId ?? '');
    const appError = toAppError(err);
    if (appError.status >= 500) {
      logger.error({ requestId, code: appError.code, err: serialise(err) }, 'request failed');
    }
    if (appError instanceof UnavailableError) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    const body: ErrorBody = { error: { code: appError.code, message: appError.message }, requestId };
    if (appError.details && appError.status < 500) body.error.details = appError.details;
    res.status(appError.status).json(body);
  };
}

// Connection-level failures of PostgreSQL, Redis or the disk: the client should come back, not give up.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOSPC', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300',
]);

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; message?: string; code?: string };
  if (typeof e?.code === 'string' && UNAVAILABLE_CODES.has(e.code)) {
    return new UnavailableError('SERVICE_UNAVAILABLE', 'A service we depend on is unavailable; try again shortly.');
  }
  if (/Connection is closed|Stream isn't writeable|Connection terminated/i.test(e?.message ?? '')) {
    return new UnavailableError('SERVICE_UNAVAILABLE', 'A service we depend on is unavailable; try again shortly.');
  }
  if (e?.type === 'entity.parse.failed') return new AppError('MALFORMED_JSON', 'The request body is not valid JSON.', 400);
  if (e?.type === 'entity.too.large') return new AppError('BODY_TOO_LARGE', 'The request body is too large.', 413);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_ENCODING', 'The request body encoding is not supported.', 415);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError('BAD_REQUEST', 'The request could not be read.', e.status);
  }
  return new AppError('INTERNAL', 'Something went wrong on our side. The request id helps support find it.', 500);
}

function serialise(err: unknown) {
  return err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { value: String(err) };
}
