import type { RequestHandler } from 'express';
import type { ApiKeyService, Principal } from '../../domain/access/api-key.service.js';
import type { Role } from '../../domain/access/roles.js';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.js';

/** A refused request, for the audit trail (Art. 25: detect unauthorised access). */
export interface DeniedAccess {
  readonly principal: Principal | null;
  readonly method: string;
  readonly route: string;
  readonly ip: string | null;
  readonly status: 401 | 403;
}

/** Checks `Authorization: Bearer <key>` and the route's roles; puts the principal in res.locals. */
export function authorize(
  apiKeys: ApiKeyService,
  roles: readonly Role[],
  onDenied: (denied: DeniedAccess) => void = () => undefined,
): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await apiKeys.authenticate(match[1]) : null;
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    if (!principal) {
      onDenied({ principal: null, method: req.method, route, ip: req.ip ?? null, status: 401 });
      throw new UnauthorizedError();
    }
    if (!roles.includes(principal.role)) {
      onDenied({ principal, method: req.method, route, ip: req.ip ?? null, status: 403 });
      throw new ForbiddenError();
    }
    res.locals.principal = principal;
    next();
  };
}

export function principalOf(locals: Record<string, unknown>): Principal {
  const principal = locals.principal as Principal | undefined;
  if (!principal) throw new UnauthorizedError();
  return principal;
}
