import type { Request, RequestHandler } from 'express';
import type { FirstContact, SubjectAccessPolicy } from '../../domain/devices/subject-access.service.js';
import type { RouteSpec } from '../route-spec.js';
import { mobileCallerOf } from './device-auth.js';

/** The pensioner's document number the app key shows with a first consent (JSON) or a first enrolment (multipart). */
function documentNumber(req: Request, kind: FirstContact['kind']): string | null {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (kind === 'consent') return typeof body.documentNumber === 'string' ? body.documentNumber : null;
  try {
    const passport = typeof body.passport === 'string' ? JSON.parse(body.passport) as { number?: unknown } : null;
    return typeof passport?.number === 'string' ? passport.number : null;
  } catch {
    return null;
  }
}

/**
 * Object-level authorisation for mobile callers (docs/SECURITY.md): on a route naming a subject, a phone must hold
 * that subject's device credential and the app key alone may only make the route's first contact; on a submission,
 * the caller must own it. Staff roles pass untouched. Runs after the body is read, before idempotent replay.
 * Null for routes that name no subject or submission.
 */
export function subjectGuard(access: SubjectAccessPolicy, route: RouteSpec): RequestHandler | null {
  const scope = route.mobileScope ?? (route.path.includes(':subjectId') ? 'subject' : 'none');
  if (scope === 'none') return null;
  // Fail closed at start-up: a route the guard cannot read its object from must not serve phones unchecked.
  const key = scope === 'subject' ? 'subjectId' : 'id';
  if (!route.params?.shape[key]) throw new Error(`${route.method} ${route.path}: a ${scope} route for mobile clients needs params.${key}`);
  return async (req, res, next) => {
    const caller = mobileCallerOf(res.locals);
    const parsed = route.params?.safeParse(req.params);
    // Staff pass; a malformed id is the handler's 400, which says nothing about any subject.
    if (!caller || !parsed?.success) return next();
    const params = parsed.data as Record<string, string>;
    if (scope === 'submission') await access.checkSubmission(caller, params.id!);
    else {
      const contact = route.appKeyFirstContact;
      await access.checkSubject(caller, params.subjectId!, contact ? { kind: contact, documentNumber: documentNumber(req, contact) } : undefined);
    }
    next();
  };
}
