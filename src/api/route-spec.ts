import type { RequestHandler } from 'express';
import type { z } from 'zod';
import type { Role } from '../domain/access/roles.js';

/** A multipart file part a route expects. */
export interface FilePart {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  /** How many files the field may carry (default 1): a challenge response sends several frames in one field. */
  readonly maxCount?: number;
  /** Bytes per file of this field (default: the app's UPLOAD_MAX_BYTES); the request's budget is the sum over its fields. */
  readonly maxBytes?: number;
}

/**
 * One route, declared once: the router mounts it and /openapi.json describes it from the same
 * object, so the documented roles and schemas cannot drift from what runs.
 */
export interface RouteSpec {
  readonly method: 'get' | 'post';
  /** Express path, e.g. /v1/subjects/:subjectId */
  readonly path: string;
  readonly summary: string;
  /** Roles allowed; 'public' routes take no key (health, OpenAPI). */
  readonly roles: readonly Role[] | 'public';
  readonly params?: z.ZodObject;
  /**
   * Every query parameter the route reads. The router refuses any other one (400 UNKNOWN_QUERY_PARAMETER), validates
   * these before the handler runs and hands it the parsed values as req.query; a route without it takes no query.
   */
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly multipart?: { readonly files: readonly FilePart[]; readonly fields?: z.ZodObject };
  readonly idempotent?: boolean;
  /** JSON body size limit (default 64kb); larger only where evidence travels in the body. */
  readonly jsonLimit?: string;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType }>>;
  /**
   * What a mobile-client caller touches, for the subject guard (docs/SECURITY.md): 'subject' (the default for a path
   * with :subjectId) needs that subject's device credential, 'submission' a submission the caller owns (:id).
   */
  readonly mobileScope?: 'subject' | 'submission' | 'none';
  /** The first contact the app key alone may make on this subject route, with the pensioner's document number. */
  readonly appKeyFirstContact?: 'consent' | 'enrolment';
  readonly handler: RequestHandler;
}
