import { z } from 'zod';
import { CHANNELS, consentScopeSchema, LANGUAGES, type Consent } from '../../domain/consent/consent.js';
import type { ConsentService } from '../../domain/consent/consent.service.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import { ValidationError } from '../../shared/errors.js';
import { actorOf } from '../actor.js';
import { actorLabelFor } from '../actor-view.js';
import type { RouteSpec } from '../route-spec.js';
import { errorResponses, subjectRefParam } from '../schemas.js';
import { parseOr400 } from '../validate.js';

const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;

const recordConsentBody = z.object({
  textVersion: z.string().min(1).max(40),
  language: z.enum(LANGUAGES),
  purpose: z.string().min(1).max(60),
  scope: consentScopeSchema,
  channel: z.enum(CHANNELS),
  witness: z.string().trim().min(1).max(200).optional().describe('Operator who witnessed a paper signature'),
  evidence: z.object({
    payload: z.base64().describe('Signed payload (JWS, IMZO signature) or scanned form, base64'),
    contentType: z.string().max(100),
  }).strict(),
  deviceId: z.string().max(200).optional(),
  documentNumber: z.string().trim().max(20).optional()
    .describe('The pensioner\'s document number: required with the app key alone (first consent), never stored with the consent'),
  signedAt: z.iso.datetime({ offset: true }),
}).strict();

const withdrawBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();
const consentParams = subjectRefParam.extend({ consentId: z.uuid() });
const textsQuery = z.object({ language: z.enum(LANGUAGES).optional() });

const consentResponse = z.object({
  id: z.uuid(), textVersion: z.string(), language: z.enum(LANGUAGES), purpose: z.string(), scope: consentScopeSchema,
  channel: z.enum(CHANNELS), witness: z.string().nullable(), evidenceSha256: z.string(), deviceId: z.string().nullable(),
  signedAt: z.string(), recordedAt: z.string(), recordedBy: z.string(), status: z.enum(['active', 'withdrawn']),
  withdrawnAt: z.string().nullable(), withdrawnBy: z.string().nullable(), withdrawalReason: z.string().nullable(),
});

/** A consent; `locals` (the caller) decides how who recorded or withdrew it is shown (a phone never sees a key id). */
function view(c: Consent, locals: Record<string, unknown>): z.infer<typeof consentResponse> {
  return {
    id: c.id, textVersion: c.textVersion, language: c.language, purpose: c.purpose, scope: c.scope, channel: c.channel,
    witness: c.witness, evidenceSha256: c.evidenceSha256, deviceId: c.deviceId, signedAt: c.signedAt.toISOString(),
    recordedAt: c.recordedAt.toISOString(), recordedBy: actorLabelFor(locals, c.recordedBy)!, status: c.status,
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null, withdrawnBy: actorLabelFor(locals, c.withdrawnBy),
    withdrawalReason: c.withdrawalReason,
  };
}

/** The consent ledger over HTTP (Law on Personal Data, Art. 17 and 11). */
export function consentRoutes(deps: { consents: ConsentService; subjects: SubjectService }): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/consent-texts', summary: 'The current consent text per language (show it before signing)',
      roles: ['mobile-client', 'reviewer', 'operator', 'auditor', 'admin'], query: textsQuery,
      responses: { 200: { description: 'Texts' }, ...errorResponses(400, 401) },
      handler: async (req, res) => {
        const { language } = parseOr400(textsQuery, req.query);
        res.json({ texts: await deps.consents.texts(language) });
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/consents', summary: 'Record a written consent (Art. 17)',
      roles: ['mobile-client', 'operator', 'admin'], params: subjectRefParam, body: recordConsentBody, idempotent: true,
      appKeyFirstContact: 'consent',
      jsonLimit: '3mb',
      responses: { 201: { description: 'Recorded', schema: consentResponse }, ...errorResponses(400, 401, 403, 404, 409) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const body = parseOr400(recordConsentBody, req.body);
        const evidence = Buffer.from(body.evidence.payload, 'base64');
        if (!evidence.length || evidence.length > MAX_EVIDENCE_BYTES) {
          throw new ValidationError('EVIDENCE_INVALID', `Evidence must be 1 byte to ${MAX_EVIDENCE_BYTES} bytes.`);
        }
        const subject = await deps.subjects.get(subjectId);
        const consent = await deps.consents.record(subject, {
          textVersion: body.textVersion, language: body.language, purpose: body.purpose, scope: body.scope,
          channel: body.channel, witness: body.witness, evidence, deviceId: body.deviceId,
          signedAt: new Date(body.signedAt), ip: req.ip ?? null,
        }, actorOf(res.locals));
        res.status(201).location(`/v1/subjects/${subjectId}/consents/${consent.id}`).json(view(consent, res.locals));
      },
    },
    {
      method: 'get', path: '/v1/subjects/:subjectId/consents', summary: 'All consents of a subject, withdrawn ones included',
      roles: ['mobile-client', 'reviewer', 'operator', 'auditor', 'admin'], params: subjectRefParam,
      responses: { 200: { description: 'Consents' }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        res.json({ consents: (await deps.consents.list(await deps.subjects.get(subjectId))).map((c) => view(c, res.locals)) });
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/consents/:consentId/withdraw', summary: 'Withdraw consent (Art. 11): processing stops at once',
      roles: ['mobile-client', 'operator', 'admin'], params: consentParams, body: withdrawBody,
      responses: { 200: { description: 'Withdrawn', schema: consentResponse }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId, consentId } = parseOr400(consentParams, req.params);
        const { reason } = parseOr400(withdrawBody, req.body ?? {});
        const subject = await deps.subjects.get(subjectId);
        res.json(view(await deps.consents.withdraw(subject, consentId, reason ?? 'withdrawn by the subject', actorOf(res.locals)), res.locals));
      },
    },
  ];
}
