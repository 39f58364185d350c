import type { Box } from '../../engine/face-engine.js';
import type { DocumentPortrait } from '../documents/portrait-report.js';

/**
 * What became of a reviewer's "also keep this selfie as a reference": it joined the gallery, the poisoning guard
 * refused it (it does not verify against the enrolment's anchors), the subject's consent no longer covers keeping
 * references, or there was no selfie to keep (no usable face, or no gallery when the case was processed).
 */
export type ReferenceApproval = 'joined' | 'refused_by_guard' | 'no_consent' | 'no_candidate';

/**
 * `consent-withdrawal` and `consent-record`: a phone's withdrawal or consent, carried out or recorded only if its selfie
 * matches the subject's references.
 */
export type SubmissionKind = 'enrollment' | 'verification' | 'consent-withdrawal' | 'consent-record';

/** The consent actions a phone confirms with a selfie. */
export const CONSENT_ACTION_KINDS: readonly SubmissionKind[] = ['consent-withdrawal', 'consent-record'];
export type SubmissionStatus = 'queued' | 'processing' | 'completed' | 'failed';
export type Decision = 'verified' | 'needs_review' | 'rejected';

/** What was found on one uploaded image. Never holds pixels or embeddings. */
export interface ImageFinding {
  readonly role: 'selfie' | 'document';
  readonly width: number;
  readonly height: number;
  readonly facesDetected: number;
  /** The face used for comparison (the dominant one), in the pixels of the image analysed (see `rotation`). */
  readonly face: { readonly box: Box; readonly score: number } | null;
  /** Set when a document page was turned upright (clockwise degrees) before analysis: box and size refer to that. */
  readonly rotation?: number | null;
}

/** One comparison: against a reference of the gallery, or (enrolment) against this submission's document portrait. */
export interface ReferenceScore {
  readonly templateId: string | null;
  /**
   * The enrolment's document portrait or selfie, or a proof-of-life selfie that joined the gallery. Answers recorded
   * before the gallery say `selfie` for the enrolment's selfie.
   */
  readonly source: 'document' | 'enrollment' | 'verification';
  /** When the reference was taken (its enrolment or proof of life); null for this enrolment's own document. */
  readonly enrolledAt: string | null;
  /** Whole days since then, at the time of this comparison (template ageing). */
  readonly ageDays?: number | null;
  readonly similarity: number;
  readonly distance: number;
}

/** How the gallery's distances became the deciding one (verification only). */
export interface GalleryFusion {
  readonly rule: 'min' | 'mean' | 'mean-best-2';
  /** References compared. */
  readonly gallerySize: number;
  /** The gallery size whose calibrated thresholds decided (the largest calibrated for larger galleries); null: single-pair thresholds. */
  readonly calibratedSize: number | null;
  readonly fusedDistance: number;
  readonly verifyMaxDistance: number;
  readonly reviewMaxDistance: number;
}

export interface MatchResult {
  /** Best similarity in [0, 1]; higher is more alike. Meaning fixed per model by models/calibration.json. */
  readonly similarity: number;
  readonly distance: number;
  /**
   * The same score as a model-independent rate: the share of impostors measured at this distance or closer
   * (e.g. 0.001 = one in a thousand), with whether it is an estimate or a bound. Null without a measured table.
   */
  readonly estimatedFar: { readonly far: number; readonly bound: 'at_most' | 'about' | 'at_least' } | null;
  readonly metric: string;
  readonly threshold: {
    readonly verifyMinSimilarity: number;
    readonly reviewMinSimilarity: number;
    readonly verifyMaxDistance: number;
    readonly reviewMaxDistance: number;
  };
  readonly comparedWith: readonly ReferenceScore[];
  /** Verification: the fusion over every reference that decided; `distance`, `similarity` and `threshold` are the fused ones. */
  readonly fusion?: GalleryFusion;
  readonly model: { readonly name: string; readonly version: string; readonly detector: string; readonly backend: string };
}

/**
 * What the document check concluded: verdicts only. The MRZ text and the fields themselves are personal
 * data and are not kept in the result.
 */
export interface DocumentCheck {
  readonly documentType: string;
  readonly mrzFound: boolean;
  readonly mrzFormat: string | null;
  readonly checkDigitsValid: boolean | null;
  readonly confidence: number | null;
  readonly fieldsVerified: boolean;
  readonly fields: Readonly<Record<string, string>>;
  readonly expired: boolean | null;
  readonly rotationApplied: number | null;
  readonly reasons: readonly string[];
  readonly needsReview: boolean;
  /** The portrait measured on the upright page (how much a match against it is worth); null: none found. */
  readonly portrait?: DocumentPortrait | null;
  /** How many other subjects hold this document number, or submitted this photo (never who). */
  readonly elsewhere?: { readonly numberHolders: number; readonly imageMatches: number };
  /**
   * Faces on the page (portrait and ghost images included), ghost images (recognised as the portrait's person), and
   * rivals (someone else's face of comparable size); rivals or a crowd give DOCUMENT_MULTIPLE_FACES.
   */
  readonly faces?: { readonly detected: number; readonly ghosts: number; readonly rivals: number };
}

/** The result stored with a completed or failed submission. */
/**
 * What the quality gate, the passive attack check, the challenge and the replay check found, as stored with the
 * result: codes, measures and scores only, never pixels or embeddings.
 */
export interface LivenessSummary {
  readonly quality: {
    readonly pass: boolean;
    readonly findings: readonly {
      readonly code: string; readonly severity: string; readonly message: Readonly<Record<string, string>>;
      readonly value: number | null; readonly threshold: number | null;
    }[];
    readonly components: Readonly<Record<string, number | null>> | null;
  };
  readonly liveness: {
    readonly score: number; readonly verdict: 'live' | 'uncertain' | 'attack';
    readonly thresholds: { readonly pass: number; readonly attack: number };
    readonly models: { readonly antispoof: number; readonly liveness: number };
  } | null;
  readonly challenge: {
    readonly pass: boolean;
    readonly reasons: readonly string[];
    readonly actions: readonly string[];
    readonly details: Readonly<Record<string, unknown>>;
    readonly frames: readonly {
      readonly index: number; readonly yaw: number; readonly yawDelta: number; readonly eyeOpenness: number;
      readonly mouthOpenness: number; readonly actions: readonly string[];
    }[];
  } | null;
  readonly replay: {
    readonly reasons: readonly string[];
    /** The earlier submission each flagged image resembles; null in answers when it is another subject's. */
    readonly matches: readonly { readonly role: string; readonly submissionId: string | null; readonly bits: number; readonly otherSubject: boolean }[];
  };
  /** Set when too many failed attempts locked the subject out: this submission goes to an officer. */
  readonly lockout: { readonly lockedUntil: string } | null;
}

export interface SubmissionResult {
  readonly findings: readonly ImageFinding[];
  readonly document?: DocumentCheck;
  readonly liveness?: LivenessSummary;
  readonly match: MatchResult | null;
  readonly timings: Readonly<Record<string, number>>;
  readonly failure?: { readonly code: string; readonly message: string };
  /** A phone's consent withdrawal or recording: whether the matched selfie carried it out, with what the phone shows. */
  readonly consentAction?: {
    readonly action: 'withdrawal' | 'recording'; readonly carriedOut: boolean; readonly code: string;
    /** The consent the recording became, when carried out. */
    readonly consentId?: string;
    readonly messages: Readonly<Record<'tg' | 'ru' | 'en', string>>;
  };
}

export interface Submission {
  readonly id: string;
  readonly subjectId: string;
  readonly kind: SubmissionKind;
  readonly status: SubmissionStatus;
  readonly decision: Decision | null;
  readonly reasons: readonly string[];
  readonly result: SubmissionResult | null;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  /** The machine's own decision, kept when a person decided differently. */
  readonly machineDecision: Decision | null;
  /** A person's decision on the case, if one was made. */
  readonly review: {
    readonly outcome: 'approve' | 'reject' | 'recapture'; readonly reasonCode: string; readonly comment: string;
    readonly by: string; readonly byName: string; readonly at: string;
    /** Set when the reviewer asked to keep an approved proof of life's selfie as a reference: what became of it. */
    readonly referenceApproval?: ReferenceApproval;
  } | null;
}
