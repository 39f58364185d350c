import type { LivenessChallenge } from './challenge.js';
import type { NonceState } from './challenge-verification.js';

/** A subject's lockout after too many failed attempts. */
export interface Lockout {
  readonly subjectId: string;
  readonly lockedAt: Date;
  readonly lockedUntil: Date;
  readonly failures: number;
}

/** Failed verification attempts per subject, and the lockouts they cause. */
export interface LivenessAttemptRepository {
  /** Records one failed attempt (idempotent per submission: a job run twice counts once). */
  recordFailure(subjectId: string, submissionId: string, at: Date, reasons: readonly string[]): Promise<void>;
  countFailuresSince(subjectId: string, since: Date): Promise<number>;
  /** Starts a lockout, or extends one that would end sooner. */
  lock(subjectId: string, at: Date, until: Date, failures: number): Promise<void>;
  /** The subject's latest lockout, ended or not. */
  lockoutOf(subjectId: string): Promise<Lockout | null>;
}

/** What a submission presented for liveness, as recorded at upload. */
export interface SubmissionLiveness {
  readonly submissionId: string;
  readonly subjectId: string;
  readonly challengeId: string | null;
  readonly nonceState: NonceState;
  readonly frameCount: number;
  readonly createdAt: Date;
}

/** Liveness challenges and their single use. */
export interface LivenessChallengeRepository {
  insert(challenge: LivenessChallenge, issuedBy: string | null): Promise<void>;
  findById(id: string): Promise<LivenessChallenge | null>;
  /**
   * Spends the nonce: the first presentation wins, whatever its outcome, so a nonce presented for the wrong subject
   * or too late is burnt too; two uploads racing with one nonce cannot both get 'ok'.
   */
  redeem(nonceHash: string, subjectId: string, submissionId: string, at: Date): Promise<{ state: NonceState; challenge: LivenessChallenge | null }>;
  recordSubmission(presented: SubmissionLiveness): Promise<void>;
  forSubmission(submissionId: string): Promise<SubmissionLiveness | null>;
}

/** One stored fingerprint of a submitted image. */
export interface StoredFingerprint {
  readonly id: string;
  readonly subjectId: string;
  readonly submissionId: string;
  /** 'selfie', 'document' or 'frame-NN'. */
  readonly role: string;
  readonly phash: string;
  readonly sha256: string;
  readonly createdAt: Date;
}

/** Perceptual fingerprints of submitted images, for replay and reuse checks. */
export interface ImageFingerprintRepository {
  /** Stores it; a second fingerprint of the same submission and role is ignored. */
  insert(fingerprint: StoredFingerprint): Promise<void>;
  /** The subject's earlier fingerprints (newest first), other submissions only. */
  earlierForSubject(subjectId: string, excludeSubmissionId: string): Promise<StoredFingerprint[]>;
}

/** The storage liveness checks need. */
export interface LivenessPorts {
  readonly livenessChallenges: LivenessChallengeRepository;
  readonly livenessAttempts: LivenessAttemptRepository;
  readonly fingerprints: ImageFingerprintRepository;
}
