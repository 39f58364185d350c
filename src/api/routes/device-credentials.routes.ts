import { z } from 'zod';
import type { DeviceCredential } from '../../domain/devices/device-credential.js';
import type { DeviceCredentialService } from '../../domain/devices/device-credential.service.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { actorOf } from '../actor.js';
import { deviceOf } from '../middleware/device-auth.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses, subjectRefParam } from '../schemas.js';
import { parseOr400 } from '../validate.js';

const activateBody = z.object({
  code: z.string().min(1).max(40).describe('The code from the office, e.g. 7K2M-Q9XD-4HTW-B3NP (case, dashes and spaces ignored)'),
  label: z.string().trim().min(1).max(100).optional().describe('What the pensioner calls this phone, e.g. "daughter\'s phone"'),
}).strict();
const revokeBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();
const credentialParams = subjectRefParam.extend({ credentialId: z.string().regex(/^[0-9a-f]{16}$/) });

export const deviceCredentialView = z.object({
  id: z.string(), label: z.string().nullable(), issuedVia: z.enum(['enrollment', 'activation-code']),
  status: z.enum(['pending', 'active', 'revoked', 'expired']), createdAt: z.string(), activatedAt: z.string().nullable(),
  expiresAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable(), revocationReason: z.string().nullable(),
});
const issuedResponse = z.object({
  credentialId: z.string(), subjectId: z.string(), expiresAt: z.string(),
  token: z.string().describe('Shown once: send it as "Authorization: Bearer <token>" for this subject from now on'),
});

/** A credential as the office and the pensioner see it (never its secret or hash). */
export function viewCredential(c: DeviceCredential, now: Date): z.infer<typeof deviceCredentialView> {
  const status = c.revokedAt ? 'revoked' : c.expiresAt <= now ? 'expired' : c.activatedAt ? 'active' : 'pending';
  return {
    id: c.id, label: c.label, issuedVia: c.issuedVia, status, createdAt: c.createdAt.toISOString(), activatedAt: c.activatedAt?.toISOString() ?? null,
    expiresAt: c.expiresAt.toISOString(), lastUsedAt: c.lastUsedAt?.toISOString() ?? null, revokedAt: c.revokedAt?.toISOString() ?? null,
    revocationReason: c.revocationReason,
  };
}

/** Device credentials over HTTP: activation codes at the office, redemption by the phone, listing and revocation. */
export interface DeviceCredentialRoutesDeps {
  readonly devices: DeviceCredentialService;
  readonly subjects: SubjectService;
  /** The pension number of a subject by internal id (a redeemed code names the subject by its internal id). */
  readonly subjectRefOf: (subjectId: string) => Promise<string>;
  readonly clock: Clock;
}

export function deviceCredentialRoutes(deps: DeviceCredentialRoutesDeps): RouteSpec[] {
  const { devices, subjects, clock } = deps;
  return [
    {
      method: 'post', path: '/v1/subjects/:subjectId/activation-codes',
      summary: 'Issue a one-time activation code for a phone (after checking the pensioner\'s identity at the office)',
      roles: ['operator', 'admin'], params: subjectRefParam,
      responses: { 201: { description: 'The code, shown once' }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const subject = await subjects.get(parseOr400(subjectRefParam, req.params).subjectId);
        const { code, expiresAt } = await devices.issueActivationCode(subject.id, actorOf(res.locals));
        res.status(201).set('Cache-Control', 'no-store').json({ subjectId: subject.ref, code, expiresAt: expiresAt.toISOString() });
      },
    },
    {
      method: 'post', path: '/v1/device-credentials/activate', summary: 'Redeem an activation code for this phone\'s device credential',
      roles: ['mobile-client'], body: activateBody,
      responses: {
        201: { description: 'The credential, shown once', schema: issuedResponse },
        ...errorResponses(400, 401, 403, 404, 409),
      },
      handler: async (req, res) => {
        const body = parseOr400(activateBody, req.body);
        const issued = await devices.activate(body.code, body.label ?? null, actorOf(res.locals));
        res.status(201).set('Cache-Control', 'no-store').json({
          credentialId: issued.credentialId, subjectId: await deps.subjectRefOf(issued.subjectId), expiresAt: issued.expiresAt.toISOString(), token: issued.token,
        });
      },
    },
    {
      method: 'post', path: '/v1/device-credentials/current/revoke', summary: 'This phone gives up its device credential',
      roles: ['mobile-client'], body: revokeBody,
      responses: { 200: { description: 'Revoked', schema: deviceCredentialView }, ...errorResponses(400, 401, 403) },
      handler: async (req, res) => {
        const device = deviceOf(res.locals);
        if (!device) throw new AppError('DEVICE_CREDENTIAL_REQUIRED', 'Only a phone holding a device credential can revoke it.', 403);
        const { reason } = parseOr400(revokeBody, req.body ?? {});
        const revoked = await devices.revoke(device.subjectId, device.credentialId, reason ?? 'revoked from the phone', actorOf(res.locals));
        res.json(viewCredential(revoked, clock.now()));
      },
    },
    {
      method: 'get', path: '/v1/subjects/:subjectId/device-credentials', summary: 'The subject\'s phones: how each was issued, its state and last use',
      roles: ['mobile-client', 'operator', 'auditor', 'admin'], params: subjectRefParam,
      responses: { 200: { description: 'Credentials' }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const subject = await subjects.get(parseOr400(subjectRefParam, req.params).subjectId);
        const now = clock.now();
        res.json({ credentials: (await devices.list(subject.id)).map((c) => viewCredential(c, now)) });
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/device-credentials/:credentialId/revoke',
      summary: 'Revoke a phone\'s credential (lost or stolen phone, a relative who should no longer act)',
      roles: ['mobile-client', 'operator', 'admin'], params: credentialParams, body: revokeBody,
      responses: { 200: { description: 'Revoked', schema: deviceCredentialView }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId, credentialId } = parseOr400(credentialParams, req.params);
        const { reason } = parseOr400(revokeBody, req.body ?? {});
        const subject = await subjects.get(subjectId);
        res.json(viewCredential(await devices.revoke(subject.id, credentialId, reason ?? 'revoked', actorOf(res.locals)), clock.now()));
      },
    },
  ];
}
