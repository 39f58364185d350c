import { z } from 'zod';
import { SUBJECT_CONSENT_STATES } from '../domain/consent/consent.js';
import { passportSchema } from '../domain/subjects/passport.js';
import { SUBJECT_REF_PATTERN, canonicalSubjectRef } from '../domain/subjects/subject.js';

/** Request and response shapes of the public API; /openapi.json is generated from these. */

/** A pension number wherever a client sends one (path, body, query): folded to its one stored spelling first. */
export const subjectRef = z.string().overwrite(canonicalSubjectRef).regex(SUBJECT_REF_PATTERN, '3-40 letters, digits or dashes')
  .describe('Pension number; case-insensitive: trimmed, Unicode NFKC, upper-cased (pn-id10 is PN-ID10)');

export const subjectRefParam = z.object({ subjectId: subjectRef });

export const submissionIdParam = z.object({ id: z.uuid() });

export const createSubjectBody = z.object({
  subjectId: subjectRef,
  passport: passportSchema,
  language: z.enum(['tg', 'ru', 'en']).default('tg').describe('Language of notices and the access report'),
}).strict();

export const enrollmentFields = z.object({
  passport: z.string().optional().describe('Passport fields as a JSON string; optional when the subject already has them'),
});

export const verificationFields = z.object({
  nonce: z.string().min(16).max(128).optional()
    .describe('Nonce of the liveness challenge the frames answer (POST /v1/subjects/{id}/liveness-challenges); required with frames'),
});

export const retentionEntrySchema = z.object({
  item: z.enum(['selfie_image', 'document_image', 'liveness_frame', 'reference_template', 'result']),
  role: z.string().nullable(), policy: z.string(), legalBasis: z.string(),
  deleteAt: z.string().nullable().describe('When it will be deleted; null while deletion waits for an event'),
  deleteCondition: z.string().nullable(), deletedAt: z.string().nullable(),
  onHold: z.boolean().describe('A legal hold stops the deletion until released'),
});

export const subjectResponse = z.object({
  subjectId: z.string(),
  status: z.enum(['active', 'closed', 'erased']),
  language: z.enum(['tg', 'ru', 'en']),
  consent: z.enum(SUBJECT_CONSENT_STATES).describe('State of the written consent (Art. 17, 11): "pending-confirmation" = a phone\'s first '
    + 'consent, recorded before enrolment, awaits the face check of the enrolment that follows (verified: "active"; rejected: '
    + '"withdrawn"); "active" = a confirmed consent is in force'),
  enrolled: z.boolean(),
  enrolledAt: z.string().nullable(),
  reenrolment: z.object({ requiredAt: z.string(), reason: z.string() }).nullable()
    .describe('Set when a model upgrade could not carry the references over to the new model: the subject must enrol again'),
  references: z.object({ newestAt: z.string().nullable(), aged: z.boolean() })
    .describe('Template ageing: when the newest reference in use was taken; aged = older than REFERENCE_MAX_AGE_YEARS, re-enrol in person'),
  createdAt: z.string(),
  onHold: z.boolean(),
  retention: z.array(retentionEntrySchema.extend({ submissionId: z.string().nullable() })).describe('Live timers of everything held'),
});

export const acceptedResponse = z.object({
  submissionId: z.uuid(),
  status: z.literal('queued'),
  location: z.string(),
  deviceCredential: z.object({
    credentialId: z.string(), token: z.string(), expiresAt: z.string(), status: z.literal('pending'),
  }).optional().describe('First enrolment sent with the app key only: this phone\'s credential, shown once; it works once the enrolment is verified'),
});


const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

const livenessSummary = z.object({
  quality: z.object({
    pass: z.boolean(),
    findings: z.array(z.object({
      code: z.string(), severity: z.string(), message: z.record(z.string(), z.string()), value: z.number().nullable(), threshold: z.number().nullable(),
    })),
    components: z.record(z.string(), z.number().nullable()).nullable(),
  }),
  liveness: z.object({
    score: z.number(), verdict: z.enum(['live', 'uncertain', 'attack']),
    thresholds: z.object({ pass: z.number(), attack: z.number() }),
    models: z.object({ antispoof: z.number(), liveness: z.number() }),
  }).nullable().describe('Passive presentation-attack check on the selfie'),
  challenge: z.object({
    pass: z.boolean(), reasons: z.array(z.string()), actions: z.array(z.string()), details: z.record(z.string(), z.unknown()),
    frames: z.array(z.object({
      index: z.number(), yaw: z.number(), yawDelta: z.number(), eyeOpenness: z.number(), mouthOpenness: z.number(), actions: z.array(z.string()),
    })),
  }).nullable().describe('The active challenge, when the submission answered one'),
  replay: z.object({
    reasons: z.array(z.string()),
    matches: z.array(z.object({ role: z.string(), submissionId: z.string().nullable(), bits: z.number(), otherSubject: z.boolean() }))
      .describe('Earlier submissions the images resemble; another subject\'s is never named'),
  }),
  lockout: z.object({ lockedUntil: z.string() }).nullable().describe('Too many failed attempts: the subject is locked out and this goes to an officer'),
});

export const submissionResponse = z.object({
  id: z.uuid(),
  subjectId: z.string(),
  kind: z.enum(['enrollment', 'verification', 'consent-withdrawal', 'consent-record']),
  status: z.enum(['queued', 'processing', 'completed', 'failed']),
  decision: z.enum(['verified', 'needs_review', 'rejected']).nullable(),
  machineDecision: z.enum(['verified', 'needs_review', 'rejected']).nullable().describe('The machine\'s decision, kept when a reviewer decided'),
  review: z.object({ outcome: z.enum(['approve', 'reject', 'recapture']), reasonCode: z.string(), at: z.string() }).nullable(),
  reasons: z.array(z.string()).describe('Stable reason codes, e.g. FACE_MATCH, SELFIE_NO_FACE'),
  findings: z.array(z.object({
    role: z.enum(['selfie', 'document']), width: z.number(), height: z.number(), facesDetected: z.number(),
    face: z.object({ box, score: z.number() }).nullable(),
    rotation: z.number().nullable().optional().describe('Document page turned upright (clockwise degrees) before analysis'),
  })),
  match: z.object({
    similarity: z.number().min(0).max(1), distance: z.number(), metric: z.string(),
    estimatedFar: z.object({ far: z.number(), bound: z.enum(['at_most', 'about', 'at_least']) }).nullable()
      .describe('Share of impostors measured at this distance or closer (0.001 = one in a thousand), the same meaning for every model'),
    threshold: z.object({
      verifyMinSimilarity: z.number(), reviewMinSimilarity: z.number(), verifyMaxDistance: z.number(), reviewMaxDistance: z.number(),
    }),
    comparedWith: z.array(z.object({
      templateId: z.string().nullable(),
      source: z.enum(['document', 'enrollment', 'verification', 'selfie'])
        .describe("The enrolment's document portrait or selfie, or a proof-of-life selfie in the gallery ('selfie': the enrolment's selfie, in answers recorded before galleries)"),
      enrolledAt: z.string().nullable().describe('When the reference was taken'),
      ageDays: z.number().int().nullable().optional().describe("The reference's age in whole days at this comparison"),
      similarity: z.number(), distance: z.number(),
    })),
    fusion: z.object({
      rule: z.enum(['min', 'mean', 'mean-best-2']), gallerySize: z.number().int(), calibratedSize: z.number().int().nullable(),
      fusedDistance: z.number(), verifyMaxDistance: z.number(), reviewMaxDistance: z.number(),
    }).optional().describe('Verification: how the distances to every reference became the deciding one, and the thresholds of that gallery size'),
    model: z.object({ name: z.string(), version: z.string(), detector: z.string(), backend: z.string() }),
  }).nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  consentAction: z.object({
    action: z.enum(['withdrawal', 'recording']), carriedOut: z.boolean(),
    code: z.enum(['CONSENT_WITHDRAWAL_CARRIED_OUT', 'CONSENT_WITHDRAWAL_REFUSED', 'CONSENT_RECORDED', 'CONSENT_RECORDING_REFUSED']),
    consentId: z.uuid().optional().describe('The consent the recording became'),
    messages: z.object({ tg: z.string(), ru: z.string(), en: z.string() }),
  }).optional().describe('A consent withdrawal or recording from the phone: carried out only when its selfie was verified against the references'),
  document: z.object({
    documentType: z.string(), mrzFound: z.boolean(), mrzFormat: z.string().nullable(), checkDigitsValid: z.boolean().nullable(),
    confidence: z.number().nullable(), fieldsVerified: z.boolean(), fields: z.record(z.string(), z.string()),
    expired: z.boolean().nullable(), rotationApplied: z.number().nullable(), reasons: z.array(z.string()), needsReview: z.boolean(),
    portrait: z.object({
      rotationApplied: z.number().nullable(), box, score: z.number(), interEyePx: z.number(), faceHeightPx: z.number(),
      sharpness: z.number(), luminanceMean: z.number(), contrast: z.number(), glare: z.number(), dark: z.number(),
      findings: z.array(z.string()).describe('PORTRAIT_LOW_RESOLUTION, PORTRAIT_BLURRY, PORTRAIT_GLARE, PORTRAIT_TOO_DARK, PORTRAIT_LOW_CONTRAST'),
      grade: z.enum(['good', 'fair', 'poor']),
    }).nullable().optional().describe('The portrait measured on the upright page: how much a match against it is worth'),
    elsewhere: z.object({ numberHolders: z.number(), imageMatches: z.number() }).optional()
      .describe('How many other subjects hold this document number or sent this document photo; never who'),
    faces: z.object({ detected: z.number(), ghosts: z.number(), rivals: z.number() }).optional()
      .describe('Faces on the page: all, ghost images of the portrait, and other people of comparable size (rivals or a crowd: DOCUMENT_MULTIPLE_FACES)'),
  }).nullable().describe('Enrolment only: the MRZ read from the page against the typed fields; verdicts, never the text'),
  liveness: livenessSummary.nullable()
    .describe('Capture quality (with messages in tg/ru/en), passive liveness, the challenge, replay flags and lockout; codes and measures only'),
  timings: z.record(z.string(), z.number()),
  attempts: z.number(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  retention: z.array(retentionEntrySchema),
});

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  requestId: z.string(),
});

/** The error answers a route can give, for its OpenAPI description. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: 'Error', schema: errorResponse }]));
