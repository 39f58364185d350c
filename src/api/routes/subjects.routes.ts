import type { Request, Response } from 'express';
import { subjectConsentState } from '../../domain/consent/consent.js';
import type { ConsentService } from '../../domain/consent/consent.service.js';
import type { RetentionQueryService } from '../../domain/retention/retention-query.service.js';
import type { IntakeService } from '../../domain/submissions/intake.service.js';
import { passportSchema } from '../../domain/subjects/passport.js';
import type { Subject } from '../../domain/subjects/subject.js';
import type { SubjectService } from '../../domain/subjects/subject.service.js';
import type { NormalizeImage } from '../../images/image-normalizer.js';
import type { DeviceCredentialService } from '../../domain/devices/device-credential.service.js';
import { DEVICE_MESSAGES } from '../../domain/devices/device-messages.js';
import { AppError, ValidationError } from '../../shared/errors.js';
import { actorOf } from '../actor.js';
import { framesPart, readChallengeResponse, type FrameLimits } from '../challenge-response.js';
import { deviceOf, mobileCallerOf } from '../middleware/device-auth.js';
import { uploadedFile } from '../middleware/upload.js';
import type { RouteSpec } from '../route-spec.js';
import {
  acceptedResponse, createSubjectBody, enrollmentFields, errorResponses, subjectRefParam, subjectResponse, verificationFields,
} from '../schemas.js';
import { parseJsonField, parseOr400 } from '../validate.js';

export interface SubjectRoutesDeps {
  readonly subjects: SubjectService;
  readonly consents: ConsentService;
  readonly retentionQuery: RetentionQueryService;
  readonly intake: IntakeService;
  /** Upload normalisation with the configured limits, bounded in concurrency across routes. */
  readonly normalizeImage: NormalizeImage;
  /** How many frames a liveness challenge response carries. */
  readonly frameLimits: FrameLimits;
  /** SUBJECT_REGISTRATION: `roster` subjects come from the office's import; `self` lets the app register them. */
  readonly registration: 'roster' | 'self';
  /** Issues the pending device credential a first enrolment sent with the app key carries (docs/SECURITY.md). */
  readonly devices: DeviceCredentialService;
}

const CLIENTS = ['mobile-client', 'operator', 'admin'] as const;
const errors = errorResponses;

export function subjectRoutes(deps: SubjectRoutesDeps): RouteSpec[] {
  const { frameLimits } = deps;
  const view = async (s: Subject) => {
    const [consents, retention, enrolled, references] = await Promise.all([
      deps.consents.list(s), deps.retentionQuery.forSubject(s), deps.subjects.isEnrolled(s), deps.subjects.referenceAge(s),
    ]);
    const consent = subjectConsentState(consents);
    return {
      subjectId: s.ref, status: s.status, language: s.language, consent, enrolled,
      enrolledAt: s.enrolledAt?.toISOString() ?? null, createdAt: s.createdAt.toISOString(),
      reenrolment: s.reenrolment ? { requiredAt: s.reenrolment.requiredAt.toISOString(), reason: s.reenrolment.reason } : null,
      references: { newestAt: references.newestAt?.toISOString() ?? null, aged: references.aged },
      onHold: retention.holds.some((h) => !h.releasedAt),
      retention: retention.items.filter((i) => !i.deletedAt),
    };
  };

  const accepted = (res: Response, submissionId: string, deviceCredential?: Record<string, string>) => {
    const location = `/v1/submissions/${submissionId}`;
    res.status(202).location(location).json({ submissionId, status: 'queued', location, ...(deviceCredential ? { deviceCredential } : {}) });
  };

  const image = (req: Request, field: string) => {
    const bytes = uploadedFile(req, field);
    if (!bytes) throw new ValidationError('FILE_REQUIRED', `Missing file field: ${field}.`, { fields: [field] });
    return deps.normalizeImage(bytes, field);
  };

  const challengeResponse = (req: Request, nonce: string | undefined) => readChallengeResponse(req, nonce, frameLimits, deps.normalizeImage);

  return [
    {
      method: 'post', path: '/v1/subjects', summary: 'Register a pensioner with their passport fields',
      roles: CLIENTS, body: createSubjectBody, idempotent: true,
      responses: { 201: { description: 'Created', schema: subjectResponse }, ...errors(400, 401, 403, 409) },
      handler: async (req, res) => {
        const body = parseOr400(createSubjectBody, req.body);
        const caller = mobileCallerOf(res.locals);
        if (caller && (caller.kind === 'device' || deps.registration !== 'self')) {
          throw new AppError('SELF_REGISTRATION_DISABLED', 'Pensioners are registered by the office (roster); the app enrols a registered pensioner.', 403,
            { messages: DEVICE_MESSAGES.SELF_REGISTRATION_DISABLED });
        }
        const subject = await deps.subjects.create(body.subjectId, body.passport, body.language, actorOf(res.locals));
        res.status(201).location(`/v1/subjects/${subject.ref}`).json(await view(subject));
      },
    },
    {
      method: 'get', path: '/v1/subjects/:subjectId', summary: 'A subject and their enrolment state',
      roles: ['mobile-client', 'reviewer', 'operator', 'admin'], params: subjectRefParam,
      responses: { 200: { description: 'The subject', schema: subjectResponse }, ...errors(400, 401, 403, 404) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        res.json(await view(await deps.subjects.get(subjectId)));
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/enrollments', summary: 'Enrol: selfie + passport data page photo',
      roles: CLIENTS, params: subjectRefParam, idempotent: true, appKeyFirstContact: 'enrolment',
      multipart: {
        files: [
          { name: 'selfie', required: true, description: 'Selfie (JPEG, PNG or WebP)' },
          { name: 'document', required: true, description: 'Photo of the passport data page' },
        ],
        fields: enrollmentFields,
      },
      responses: { 202: { description: 'Queued', schema: acceptedResponse }, ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const fields = parseOr400(enrollmentFields, req.body ?? {});
        const passport = fields.passport ? parseJsonField(passportSchema, fields.passport, 'passport') : undefined;
        const selfie = await image(req, 'selfie');
        const document = await image(req, 'document');
        const caller = mobileCallerOf(res.locals);
        if (caller?.kind !== 'app-key') return accepted(res, await deps.intake.enrol(subjectId, selfie, document, passport));
        // The app key's first enrolment (its document number already matched): the roster's fields stay the truth, and the
        // phone gets a credential that works once this enrolment is verified.
        const subject = await deps.subjects.get(subjectId);
        await deps.devices.ensureRoom(subject.id);
        const submissionId = await deps.intake.enrol(subjectId, selfie, document, deps.registration === 'self' ? passport : undefined);
        const credential = await deps.devices.claimForEnrolment(subject.id, submissionId, actorOf(res.locals));
        accepted(res, submissionId, {
          credentialId: credential.credentialId, token: credential.token, expiresAt: credential.expiresAt.toISOString(), status: 'pending',
        });
      },
    },
    {
      method: 'post', path: '/v1/subjects/:subjectId/verifications', summary: 'Prove life: a new selfie against the references',
      roles: CLIENTS, params: subjectRefParam, idempotent: true,
      multipart: {
        files: [
          { name: 'selfie', required: true, description: 'Selfie (JPEG, PNG or WebP)' },
          framesPart(frameLimits),
        ],
        fields: verificationFields,
      },
      responses: { 202: { description: 'Queued', schema: acceptedResponse }, ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
      handler: async (req, res) => {
        const { subjectId } = parseOr400(subjectRefParam, req.params);
        const { nonce } = parseOr400(verificationFields, req.body ?? {});
        const challenge = await challengeResponse(req, nonce);
        const device = deviceOf(res.locals);
        if (device) await deps.devices.ensureNotLockedOut(device.credentialId);
        const submissionId = await deps.intake.verify(subjectId, await image(req, 'selfie'), challenge);
        if (device) await deps.devices.recordSubmission(device.credentialId, submissionId);
        accepted(res, submissionId);
      },
    },
  ];
}
