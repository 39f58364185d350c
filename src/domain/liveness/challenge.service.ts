/**
 * Issues liveness challenges and redeems their nonces. Issuing is refused while the subject is locked out after
 * too many failed attempts (the person is told when to come back); redeeming happens in the upload's transaction,
 * so the nonce is spent exactly when the submission that carries it is recorded.
 */
import type { Clock } from '../../shared/clock.js';
import { AppError, ConflictError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../audit/audit-entry.js';
import type { SubjectService } from '../subjects/subject.service.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import { hashNonce, newChallenge, type ChallengePolicy, type IssuedChallenge, type RandomInt } from './challenge.js';
import type { NonceState } from './challenge-verification.js';
import type { LivenessPorts } from './liveness-ports.js';

/** Told of what happened, e.g. to audit it (the audit trail's actions are the caller's). */
export interface ChallengeEvents {
  issued?(challenge: IssuedChallenge['challenge'], issuedBy: Actor): void | Promise<void>;
}

export interface ChallengeServiceDeps {
  readonly uow: UnitOfWork<Pick<LivenessPorts, 'livenessChallenges'>>;
  readonly subjects: Pick<SubjectService, 'get'>;
  readonly limiter: AttemptLimiter;
  readonly clock: Clock;
  readonly policy: ChallengePolicy;
  readonly random?: RandomInt;
  readonly events?: ChallengeEvents;
}

/** A redeemed nonce, as recorded with the submission. */
export interface Redemption {
  readonly state: NonceState;
  readonly challengeId: string | null;
}

export class LivenessChallengeService {
  constructor(private readonly deps: ChallengeServiceDeps) {}

  /** A new challenge for the subject named by its reference (pension number). */
  async issue(subjectRef: string, issuedBy: Actor): Promise<IssuedChallenge> {
    const { uow, clock, policy } = this.deps;
    const subject = await this.deps.subjects.get(subjectRef);
    if (subject.status !== 'active') {
      throw new ConflictError('SUBJECT_NOT_ACTIVE', `The subject is ${subject.status}; no new checks are accepted.`);
    }
    const lockout = await this.deps.limiter.activeLockout(subject.id);
    if (lockout) {
      const retryAfterSeconds = Math.max(1, Math.ceil((lockout.lockedUntil.getTime() - clock.now().getTime()) / 1000));
      throw new AppError('LIVENESS_LOCKED_OUT', 'Too many failed attempts: new checks are refused until the lockout ends; the last ones go to an officer.', 429, {
        lockedUntil: lockout.lockedUntil.toISOString(), retryAfterSeconds,
      });
    }
    const issued = newChallenge(newId(), subject.id, clock.now(), policy, this.deps.random);
    await uow.ports.livenessChallenges.insert(issued.challenge, issuedBy.id);
    await this.deps.events?.issued?.(issued.challenge, issuedBy);
    return issued;
  }

  /**
   * Spends a nonce for a submission and records what it presented; call inside the transaction that records the
   * submission. A missing nonce with frames, or frames without a nonce, is recorded as 'unknown'.
   */
  async redeem(
    scope: Pick<LivenessPorts, 'livenessChallenges'>,
    input: { nonce: string | null; subjectId: string; submissionId: string; frameCount: number },
  ): Promise<Redemption> {
    const at = this.deps.clock.now();
    const repo = scope.livenessChallenges;
    const { state, challenge } = input.nonce
      ? await repo.redeem(hashNonce(input.nonce), input.subjectId, input.submissionId, at)
      : { state: 'unknown' as const, challenge: null };
    // A challenge of another subject is not linked to this submission: its id would tell the caller it exists.
    const challengeId = state === 'wrong_subject' ? null : challenge?.id ?? null;
    await repo.recordSubmission({
      submissionId: input.submissionId, subjectId: input.subjectId, challengeId, nonceState: state, frameCount: input.frameCount, createdAt: at,
    });
    return { state, challengeId };
  }
}
