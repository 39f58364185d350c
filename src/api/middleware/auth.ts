import type { RequestHandler } from 'express';
import { KeyThrottledError, type ApiKeyService, type Principal } from '../../domain/access/api-key.service.js';
import type { Role } from '../../domain/access/roles.js';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.js';
import { authenticateDevice, type DeviceAuthenticator } from './device-auth.js';

/** A refused request, for the audit trail (Art. 25: detect unauthorised access). */
export interface DeniedAccess {
  readonly principal: Principal | null;
  readonly method: string;
  readonly route: string;
  readonly ip: string | null;
  /** 429: a key id past its failure limit from this address (AUTH_THROTTLED). */
  readonly status: 401 | 403 | 429;
}

/** Checks `Authorization: Bearer <key or device token>` and the route's roles; puts the principal in res.locals. */
export function authorize(
  apiKeys: ApiKeyService,
  roles: readonly Role[],
  onDenied: (denied: DeniedAccess) => void = () => undefined,
  devices?: DeviceAuthenticator,
): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1];
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    let principal: Principal | null;
    try {
      const device = token ? await authenticateDevice(devices, token, res.locals) : null;
      principal = device !== undefined ? device : token ? await apiKeys.authenticate(token, req.ip ?? null) : null;
    } catch (error) {
      if (error instanceof KeyThrottledError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        onDenied({ principal: null, method: req.method, route, ip: req.ip ?? null, status: 429 });
      }
      throw error;
    }
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
