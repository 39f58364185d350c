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

/** A JSON value sent as a multipart text field. */
export function parseJsonField<S extends z.ZodType>(schema: S, raw: string, field: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ValidationError('MALFORMED_JSON', `The "${field}" field is not valid JSON.`, { field });
  }
  return parseOr400(schema, value, 'INVALID_PASSPORT');
}
