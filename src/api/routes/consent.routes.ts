import { z } from 'zod';
import { CHANNELS, consentScopeSchema, IDENTITY_CHECKS, LANGUAGES, type Consent } from '../../domain/consent/consent.js';
import { CONSENT_MESSAGES } from '../../domain/consent/consent-messages.js';
import type { ConsentService } from '../../domain/consent/consent.service.js';
import type { DeviceCredentialService } from '../../domain/devices/device-credential.service.js';
import type { IntakeService } from '../../domain/submissions/intake.service.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import type { NormalizeImage } from '../../images/image-normalizer.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { actorOf } from '../actor.js';
import { actorLabelFor } from '../actor-view.js';
import { deviceOf } from '../middleware/device-auth.js';
import { uploadedFile } from '../middleware/upload.js';
import type { RouteSpec } from '../route-spec.js';
import { acceptedResponse, errorResponses, subjectRefParam } from '../schemas.js';
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

const reason = z.string().trim().min(1).max(500).optional();
const withdrawBody = z.object({
  reason,
  identityCheck: z.enum(IDENTITY_CHECKS).optional()
    .describe('How the operator made sure the pensioner is the one withdrawing (required for staff; a phone sends a selfie instead)'),
}).strict();
const withdrawalRequestFields = z.object({ reason }).strict();
const consentParams = subjectRefParam.extend({ consentId: z.uuid() });
const textsQuery = z.object({ language: z.enum(LANGUAGES).optional() });

const consentResponse = z.object({
  id: z.uuid(), textVersion: z.string(), language: z.enum(LANGUAGES), purpose: z.string(), scope: consentScopeSchema,
  channel: z.enum(CHANNELS), witness: z.string().nullable(), evidenceSha256: z.string(), deviceId: z.string().nullable(),
  signedAt: z.string(), recordedAt: z.string(), recordedBy: z.string(), status: z.enum(['active', 'withdrawn']),
  withdrawnAt: z.string().nullable(), withdrawnBy: z.string().nullable(), withdrawalReason: z.string().nullable(),
  withdrawalConfirmation: z.union([
    z.object({ method: z.literal('selfie'), submissionId: z.uuid(), decision: z.string(), score: z.number().nullable() }),
    z.object({ method: z.literal('identity-check'), identityCheck: z.string() }),
  ]).nullable().describe('How the withdrawal was confirmed: the phone\'s selfie (its submission, decision and score) or the operator\'s identity check'),
});

/** A consent; `locals` (the caller) decides how who recorded or withdrew it is shown (a phone never sees a key id). */
function view(c: Consent, locals: Record<string, unknown>): z.infer<typeof consentResponse> {
  return {
    id: c.id, textVersion: c.textVersion, language: c.language, purpose: c.purpose, scope: c.scope, channel: c.channel,
    witness: c.witness, evidenceSha256: c.evidenceSha256, deviceId: c.deviceId, signedAt: c.signedAt.toISOString(),
    recordedAt: c.recordedAt.toISOString(), recordedBy: actorLabelFor(locals, c.recordedBy)!, status: c.status,
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null, withdrawnBy: actorLabelFor(locals, c.withdrawnBy),
    withdrawalReason: c.withdrawalReason, withdrawalConfirmation: c.withdrawalConfirmation,
  };
}

/** The consent ledger over HTTP (Law on Personal Data, Art. 17 and 11). */
export interface ConsentRoutesDeps {
  readonly consents: ConsentService;
  readonly subjects: SubjectService;
  /** A phone's withdrawal is a submission: its selfie is matched by the worker before anything ends. */
  readonly intake: IntakeService;
  readonly normalizeImage: NormalizeImage;
  readonly devices: DeviceCredentialService;
}

export function consentRoutes(deps: ConsentRoutesDeps): RouteSpec[] {
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
      method: 'post', path: '/v1/subjects/:subjectId/consents/:consentId/withdraw',
      summary: 'Withdraw consent at the office (Art. 11): processing stops at once; the operator records the identity check',
      roles: ['mobile-client', 'operator', 'admin'], params: consentParams, body: withdrawBody,
      responses: { 200: { description: 'Withdrawn', schema: consentResponse }, ...errorResponses(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId, consentId } = parseOr400(consentParams, req.params);
        const { reason, identityCheck } = parseOr400(withdrawBody, req.body ?? {});
        if (deviceOf(res.locals)) {
          throw new ValidationError('WITHDRAWAL_SELFIE_REQUIRED',
            `A phone withdraws with a selfie taken now: POST /v1/subjects/${subjectId}/consents/${consentId}/withdrawal-requests.`,
            { messages: CONSENT_MESSAGES.WITHDRAWAL_SELFIE_REQUIRED });
        }
        if (!identityCheck) {
          throw new ValidationError('IDENTITY_CHECK_REQUIRED', `Record how the pensioner's identity was checked: "identityCheck", one of ${IDENTITY_CHECKS.join(', ')}.`,
            { fields: ['identityCheck'] });
        }
        const subject = await deps.subjects.get(subjectId);
        const consent = await deps.consents.withdraw(subject, consentId, reason ?? 'withdrawn by the subject', actorOf(res.locals),
          { method: 'identity-check', identityCheck });
        res.json(view(consent, res.locals));
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/consents/:consentId/withdrawal-requests',
      summary: 'Withdraw consent from the phone with a selfie taken now: carried out only if the worker matches it with the references',
      roles: ['mobile-client'], params: consentParams, idempotent: true,
      multipart: { files: [{ name: 'selfie', required: true, description: 'Selfie taken now (JPEG, PNG or WebP)' }], fields: withdrawalRequestFields },
      responses: { 202: { description: 'Queued: read the answer at the location', schema: acceptedResponse }, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      handler: async (req, res) => {
        const { subjectId, consentId } = parseOr400(consentParams, req.params);
        const { reason: why } = parseOr400(withdrawalRequestFields, req.body ?? {});
        const device = deviceOf(res.locals);
        // The subject guard lets only this subject's phone here; anything else reads as a subject that does not exist.
        if (!device) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${subjectId}".`);
        const bytes = uploadedFile(req, 'selfie');
        if (!bytes) throw new ValidationError('FILE_REQUIRED', 'Missing file field: selfie.', { fields: ['selfie'] });
        await deps.devices.ensureNotLockedOut(device.credentialId);
        const submissionId = await deps.intake.requestWithdrawal(subjectId, consentId, await deps.normalizeImage(bytes, 'selfie'),
          why ?? 'withdrawn by the subject', actorOf(res.locals));
        await deps.devices.recordSubmission(device.credentialId, submissionId);
        const location = `/v1/submissions/${submissionId}`;
        res.status(202).location(location).json({ submissionId, status: 'queued', location });
      },
    },
  ];
}
