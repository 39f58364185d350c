import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  CHANNELS, consentScopeSchema, IDENTITY_CHECKS, LANGUAGES, type Consent, type IdentityCheck,
} from '../../domain/consent/consent.js';
import { CONSENT_MESSAGES } from '../../domain/consent/consent-messages.js';
import type { ConsentConfirmationService } from '../../domain/consent/consent-confirmation.service.js';
import type { ConsentService, RecordConsentInput } from '../../domain/consent/consent.service.js';
import type { DeviceCredentialService } from '../../domain/devices/device-credential.service.js';
import type { IntakeService } from '../../domain/submissions/intake.service.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import type { NormalizeImage } from '../../images/image-normalizer.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { actorOf } from '../actor.js';
import { actorLabelFor } from '../actor-view.js';
import { framesPart, readChallengeResponse, type FrameLimits } from '../challenge-response.js';
import { deviceOf, mobileCallerOf } from '../middleware/device-auth.js';
import { uploadedFile } from '../middleware/upload.js';
import type { RouteSpec } from '../route-spec.js';
import { acceptedResponse, errorResponses, subjectRefParam } from '../schemas.js';
import { parseJsonField, parseOr400 } from '../validate.js';

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
  identityCheck: z.enum(IDENTITY_CHECKS).optional()
    .describe('How the operator made sure the pensioner is the one consenting (required for staff; a phone is confirmed by a selfie instead)'),
}).strict();

// A phone's consent with its selfie: the statement as text fields, the signed payload as the `evidence` file part.
const consentRequestFields = z.object({
  textVersion: z.string().min(1).max(40),
  language: z.enum(LANGUAGES),
  purpose: z.string().min(1).max(60),
  scope: z.string().max(500).describe('The consent scope as JSON, e.g. {"biometricProcessing":true,"referenceTemplate":true}'),
  channel: z.enum(CHANNELS),
  deviceId: z.string().max(200).optional(),
  signedAt: z.iso.datetime({ offset: true }),
  nonce: z.string().min(16).max(128).optional()
    .describe('Nonce of the liveness challenge the frames answer (POST /v1/subjects/{id}/liveness-challenges); required with frames'),
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

const selfieConfirmation = z.object({ method: z.literal('selfie'), submissionId: z.uuid(), decision: z.string(), score: z.number().nullable() });
const identityConfirmation = z.object({ method: z.literal('identity-check'), identityCheck: z.string() });

const consentResponse = z.object({
  id: z.uuid(), textVersion: z.string(), language: z.enum(LANGUAGES), purpose: z.string(), scope: consentScopeSchema,
  channel: z.enum(CHANNELS), witness: z.string().nullable(), evidenceSha256: z.string(), deviceId: z.string().nullable(),
  signedAt: z.string(), recordedAt: z.string(), recordedBy: z.string(), status: z.enum(['active', 'withdrawn']),
  withdrawnAt: z.string().nullable(), withdrawnBy: z.string().nullable(), withdrawalReason: z.string().nullable(),
  withdrawalConfirmation: z.union([selfieConfirmation, identityConfirmation]).nullable()
    .describe('How the withdrawal was confirmed: the phone\'s selfie (its submission, decision and score) or the operator\'s identity check'),
  textSha256: z.string().describe('SHA-256 of the consent text the pensioner was shown'),
  confirmation: z.union([selfieConfirmation, identityConfirmation, z.object({ method: z.literal('enrolment-pending') })]).nullable()
    .describe('How the recording was confirmed: a selfie matched by the worker (for a first consent, the selfie of the enrolment that '
      + 'followed it), the operator\'s identity check, or still pending that enrolment; null for consents recorded before confirmation'),
  confirmationSelfie: z.object({ deleteAt: z.string().nullable(), deletedAt: z.string().nullable() }).nullable()
    .describe('The confirming selfie\'s own retention: when it is (or was) deleted'),
});

/** A consent; `locals` (the caller) decides how who recorded or withdrew it is shown (a phone never sees a key id). */
function view(c: Consent, locals: Record<string, unknown>): z.infer<typeof consentResponse> {
  return {
    id: c.id, textVersion: c.textVersion, language: c.language, purpose: c.purpose, scope: c.scope, channel: c.channel,
    witness: c.witness, evidenceSha256: c.evidenceSha256, deviceId: c.deviceId, signedAt: c.signedAt.toISOString(),
    recordedAt: c.recordedAt.toISOString(), recordedBy: actorLabelFor(locals, c.recordedBy)!, status: c.status,
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null, withdrawnBy: actorLabelFor(locals, c.withdrawnBy),
    withdrawalReason: c.withdrawalReason, withdrawalConfirmation: c.withdrawalConfirmation,
    textSha256: c.textSha256, confirmation: c.confirmation,
    confirmationSelfie: c.confirmationSelfie && {
      deleteAt: c.confirmationSelfie.deleteAt?.toISOString() ?? null, deletedAt: c.confirmationSelfie.deletedAt?.toISOString() ?? null,
    },
  };
}

/** A consent action a phone sends with a selfie: only that subject's phone gets here, anything else reads as no such subject. */
function phoneOf(locals: Record<string, unknown>, subjectId: string) {
  const device = deviceOf(locals);
  if (!device) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${subjectId}".`);
  return device;
}

function queued(res: Response, submissionId: string): void {
  const location = `/v1/submissions/${submissionId}`;
  res.status(202).location(location).json({ submissionId, status: 'queued', location });
}

const selfiePart = { name: 'selfie', required: true, description: 'Selfie taken now (JPEG, PNG or WebP)' } as const;

/** The consent ledger over HTTP (Law on Personal Data, Art. 17 and 11). */
export interface ConsentRoutesDeps {
  readonly consents: ConsentService;
  readonly subjects: SubjectService;
  /** A phone's withdrawal is a submission: its selfie is matched by the worker before anything ends. */
  readonly intake: IntakeService;
  readonly normalizeImage: NormalizeImage;
  readonly devices: DeviceCredentialService;
  /** A phone's consent is confirmed by a selfie: the enrolment's before there is a reference, its own after. */
  readonly confirmations: ConsentConfirmationService;
  readonly frameLimits: FrameLimits;
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
      method: 'post', path: '/v1/subjects/:subjectId/consents',
      summary: 'Record a written consent (Art. 17): at the office with the identity check; from a phone before enrolment, pending the enrolment\'s selfie',
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
        const input: RecordConsentInput = {
          textVersion: body.textVersion, language: body.language, purpose: body.purpose, scope: body.scope,
          channel: body.channel, witness: body.witness, evidence, deviceId: body.deviceId,
          signedAt: new Date(body.signedAt), ip: req.ip ?? null,
        };
        const actor = actorOf(res.locals);
        let consent: Consent;
        if (mobileCallerOf(res.locals)) {
          // A phone vouches for nobody's identity: its consent is confirmed by a selfie (the enrolment's, or its own).
          if (body.identityCheck) {
            throw new ValidationError('IDENTITY_CHECK_STAFF_ONLY', 'Only an operator at the office records an identity check.', { fields: ['identityCheck'] });
          }
          consent = await deps.confirmations.recordFromPhone(subject, input, actor);
        } else {
          consent = await deps.consents.record(subject, input, actor, { method: 'identity-check', identityCheck: requireIdentityCheck(body.identityCheck) });
        }
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
        const subject = await deps.subjects.get(subjectId);
        const consent = await deps.consents.withdraw(subject, consentId, reason ?? 'withdrawn by the subject', actorOf(res.locals),
          { method: 'identity-check', identityCheck: requireIdentityCheck(identityCheck) });
        res.json(view(consent, res.locals));
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/consents/:consentId/withdrawal-requests',
      summary: 'Withdraw consent from the phone with a selfie taken now: carried out only if the worker matches it with the references',
      roles: ['mobile-client'], params: consentParams, idempotent: true,
      multipart: { files: [selfiePart], fields: withdrawalRequestFields },
      responses: { 202: { description: 'Queued: read the answer at the location', schema: acceptedResponse }, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      handler: async (req, res) => {
        const { subjectId, consentId } = parseOr400(consentParams, req.params);
        const { reason: why } = parseOr400(withdrawalRequestFields, req.body ?? {});
        const device = phoneOf(res.locals, subjectId);
        const bytes = requiredFile(req, 'selfie');
        await deps.devices.ensureNotLockedOut(device.credentialId);
        const submissionId = await deps.intake.requestWithdrawal(subjectId, consentId, await deps.normalizeImage(bytes, 'selfie'),
          why ?? 'withdrawn by the subject', actorOf(res.locals));
        await deps.devices.recordSubmission(device.credentialId, submissionId);
        queued(res, submissionId);
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/consent-requests',
      summary: 'Record a consent from the phone with a selfie taken now: recorded only if the worker matches it with the references',
      roles: ['mobile-client'], params: subjectRefParam, idempotent: true,
      multipart: {
        files: [
          selfiePart,
          { name: 'evidence', required: true, maxBytes: MAX_EVIDENCE_BYTES, description: 'The signed consent payload (JWS, IMZO signature), as signed' },
          framesPart(deps.frameLimits),
        ],
        fields: consentRequestFields,
      },
      responses: { 202: { description: 'Queued: read the answer at the location', schema: acceptedResponse }, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const fields = parseOr400(consentRequestFields, req.body ?? {});
        const device = phoneOf(res.locals, subjectId);
        const draft = await deps.confirmations.draft({
          textVersion: fields.textVersion, language: fields.language, purpose: fields.purpose, channel: fields.channel,
          scope: parseJsonField(consentScopeSchema, fields.scope, 'scope', 'INVALID_SCOPE'), evidence: requiredFile(req, 'evidence'),
          deviceId: fields.deviceId ?? null, ip: req.ip ?? null, signedAt: new Date(fields.signedAt),
        });
        const challenge = await readChallengeResponse(req, fields.nonce, deps.frameLimits, deps.normalizeImage);
        const selfie = await deps.normalizeImage(requiredFile(req, 'selfie'), 'selfie');
        await deps.devices.ensureNotLockedOut(device.credentialId);
        const submissionId = await deps.intake.requestConsent(subjectId, draft, selfie, actorOf(res.locals), challenge);
        await deps.devices.recordSubmission(device.credentialId, submissionId);
        queued(res, submissionId);
      },
    },
  ];

}

function requireIdentityCheck(identityCheck: IdentityCheck | undefined): IdentityCheck {
  if (!identityCheck) {
    throw new ValidationError('IDENTITY_CHECK_REQUIRED', `Record how the pensioner's identity was checked: "identityCheck", one of ${IDENTITY_CHECKS.join(', ')}.`,
      { fields: ['identityCheck'] });
  }
  return identityCheck;
}

function requiredFile(req: Request, field: string): Buffer {
  const bytes = uploadedFile(req, field);
  if (!bytes?.length) throw new ValidationError('FILE_REQUIRED', `Missing file field: ${field}.`, { fields: [field] });
  return bytes;
}
