import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { ApiKeyService } from '../domain/access/api-key.service.js';
import type { Logger } from '../shared/logger.js';
import type { IdempotencyRepository } from '../domain/access/access-ports.js';
import { authorize, type DeniedAccess } from './middleware/auth.js';
import type { DeviceAuthenticator } from './middleware/device-auth.js';
import { subjectGuard } from './middleware/subject-guard.js';
import type { SubjectAccessPolicy } from '../domain/devices/subject-access.service.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { idempotency } from './middleware/idempotency.js';
import { requestId } from './middleware/request-id.js';
import { multipartUpload } from './middleware/upload.js';
import { uploadSlots } from './middleware/upload-slots.js';
import { buildOpenApi } from './openapi.js';
import type { RouteSpec } from './route-spec.js';
import { declaredQuery } from './validate.js';

export interface AppDeps {
  readonly logger: Logger;
  readonly apiKeys: ApiKeyService;
  readonly idempotency: IdempotencyRepository;
  readonly routes: readonly RouteSpec[];
  readonly maxUploadBytes: number;
  /** Multipart uploads read into memory at once (see uploadSlots). */
  readonly uploadConcurrency?: number;
  readonly version: string;
  /** Limits per client IP (before authentication) and per API key (after it); `appKeySource`: the app key alone, per source. */
  readonly rateLimits?: { perIp: RequestHandler; perKey: RequestHandler; appKeySource?: RequestHandler };
  /** Phones' device credentials, checked beside API keys (docs/SECURITY.md). */
  readonly devices?: DeviceAuthenticator;
  /** Whose data a mobile caller may touch; without it, mobile callers are not limited per subject (unit tests only). */
  readonly access?: SubjectAccessPolicy;
  /** The staff dashboard, mounted under /dashboard. */
  readonly dashboard?: Router;
  /** Told of every refused request (401/403), e.g. to audit it. */
  readonly onDenied?: (denied: DeniedAccess) => void;
}

/** The HTTP application, without listening: tests mount it on an ephemeral port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  // Strict by default: nothing loads from another origin, no inline script or style, no framing.
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'"], fontSrc: ["'self'"],
        connectSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  }));

  const openapi = buildOpenApi(deps.routes, deps.version);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  const slots = uploadSlots(deps.uploadConcurrency ?? 8, 10_000);
  for (const route of deps.routes) {
    const chain = [];
    if (route.roles !== 'public' && deps.rateLimits) chain.push(deps.rateLimits.perIp);
    if (route.roles !== 'public') chain.push(authorize(deps.apiKeys, route.roles, deps.onDenied, deps.devices));
    if (route.roles !== 'public' && deps.rateLimits) chain.push(deps.rateLimits.perKey);
    if (route.roles !== 'public' && deps.rateLimits?.appKeySource) chain.push(deps.rateLimits.appKeySource);
    chain.push(declaredQuery(route.query));
    if (route.body) chain.push(express.json({ limit: route.jsonLimit ?? '64kb', strict: true }));
    if (route.multipart) chain.push(slots, multipartUpload(route.multipart.files, { maxFileBytes: deps.maxUploadBytes }));
    const guard = deps.access && route.roles !== 'public' && route.roles.includes('mobile-client') ? subjectGuard(deps.access, route) : null;
    if (guard) chain.push(guard);
    if (route.idempotent) chain.push(idempotency(deps.idempotency));
    app[route.method](route.path, ...chain, route.handler);
  }

  if (deps.dashboard) {
    if (deps.rateLimits) app.post('/dashboard/login', deps.rateLimits.perIp);
    app.use('/dashboard', deps.dashboard);
  }

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
