import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../shared/errors.js';

/** Parses with a zod schema; a failure is a 400 with the field paths and messages as details. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, code = 'INVALID_REQUEST'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(code, 'The request is not valid.', {
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/** A JSON value sent as a multipart text field; `code` names what it failed to be (the passport, by default). */
export function parseJsonField<S extends z.ZodType>(schema: S, raw: string, field: string, code = 'INVALID_PASSPORT'): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ValidationError('MALFORMED_JSON', `The "${field}" field is not valid JSON.`, { field });
  }
  return parseOr400(schema, value, code);
}

/**
 * Checks the query string against the route's declared parameters before its handler runs: a name it does not
 * declare is refused rather than ignored (a misspelt `after` for `afterSeq` would otherwise page from the start
 * forever), and the handler sees the parsed values as req.query.
 */
export function declaredQuery(schema: z.ZodObject | undefined): RequestHandler {
  const allowed = schema ? Object.keys(schema.shape) : [];
  return (req, _res, next) => {
    const unknown = Object.keys(req.query).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      throw new ValidationError('UNKNOWN_QUERY_PARAMETER', `Unknown query parameter "${unknown[0]}".`, {
        parameter: unknown[0], unknown, allowed,
      });
    }
    const parsed = schema ? parseOr400(schema, req.query) : {};
    // Express 5 computes req.query in a getter; an own property shadows it for this request only.
    Object.defineProperty(req, 'query', { value: parsed, enumerable: true, configurable: true, writable: true });
    next();
  };
}
