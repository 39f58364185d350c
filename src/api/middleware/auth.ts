import type { RequestHandler } from 'express';
import type { ApiKeyService, Principal } from '../../domain/access/api-key.service.js';
import type { Role } from '../../domain/access/roles.js';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.js';

/** Checks `Authorization: Bearer <key>` and the route's roles; puts the principal in res.locals. */
export function authorize(apiKeys: ApiKeyService, roles: readonly Role[]): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await apiKeys.authenticate(match[1]) : null;
    if (!principal) throw new UnauthorizedError();
    if (!roles.includes(principal.role)) throw new ForbiddenError();
    res.locals.principal = principal;
    next();
  };
}

export function principalOf(locals: Record<string, unknown>): Principal {
  const principal = locals.principal as Principal | undefined;
  if (!principal) throw new UnauthorizedError();
  return principal;
}
