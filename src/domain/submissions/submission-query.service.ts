import { NotFoundError } from '../../shared/errors.js';
import { retentionRules, type RetentionSettings } from '../retention/retention-policy.js';
import type { StoredItem } from '../retention/stored-item.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { SubmissionQueryPorts } from './submission-ports.js';
import type { LivenessSummary, Submission } from './submission.js';

/** A retention timer as the client sees it. */
export interface RetentionEntry {
  readonly item: StoredItem['itemClass'];
  readonly role: string | null;
  readonly policy: string;
  readonly legalBasis: string;
  readonly deleteAt: string | null;
  readonly deleteCondition: string | null;
  readonly deletedAt: string | null;
  /** A legal hold stops this deletion until it is released. */
  readonly onHold: boolean;
}

/** The public answer for a submission: state, decision with reasons, findings, match, timings, retention. */
export interface SubmissionView {
  readonly id: string;
  readonly subjectId: string;
  readonly kind: Submission['kind'];
  readonly status: Submission['status'];
  readonly decision: Submission['decision'];
  /** The machine's decision when a reviewer changed it; otherwise equal to decision. */
  readonly machineDecision: Submission['decision'];
  /** Who reviewed the case, when, with which outcome and reason code (the comment stays internal). */
  readonly review: { outcome: string; reasonCode: string; at: string } | null;
  readonly reasons: readonly string[];
  readonly findings: NonNullable<Submission['result']>['findings'];
  readonly match: NonNullable<Submission['result']>['match'];
  readonly failure: NonNullable<Submission['result']>['failure'] | null;
  /** A phone's consent withdrawal: carried out or refused by this decision, with what the phone shows. */
  readonly consentAction?: NonNullable<Submission['result']>['consentAction'];
  /** The identity document check of an enrolment (verdicts only), or null. */
  readonly document: NonNullable<Submission['result']>['document'] | null;
  /** Quality gate, passive liveness, challenge, replay and lockout; null for submissions decided before they existed. */
  readonly liveness: NonNullable<Submission['result']>['liveness'] | null;
  readonly timings: NonNullable<Submission['result']>['timings'];
  readonly attempts: number;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly retention: readonly RetentionEntry[];
}

export interface SubmissionQueryDeps {
  readonly uow: UnitOfWork<SubmissionQueryPorts>;
  readonly retention: RetentionSettings;
}

export class SubmissionQueryService {
  constructor(private readonly deps: SubmissionQueryDeps) {}

  async get(id: string): Promise<SubmissionView> {
    const repos = this.deps.uow.ports;
    const submission = await repos.submissions.findById(id);
    if (!submission) throw new NotFoundError('SUBMISSION_NOT_FOUND', `No submission with id "${id}".`);
    const [subject, items, held] = await Promise.all([
      repos.subjects.findById(submission.subjectId),
      repos.items.listForSubmission(id),
      repos.holds.isHeld(submission.subjectId),
    ]);
    const rules = retentionRules(this.deps.retention);
    return {
      id: submission.id,
      subjectId: subject?.ref ?? '',
      kind: submission.kind,
      status: submission.status,
      decision: submission.decision,
      machineDecision: submission.machineDecision ?? submission.decision,
      review: submission.review ? { outcome: submission.review.outcome, reasonCode: submission.review.reasonCode, at: submission.review.at } : null,
      reasons: submission.reasons,
      findings: submission.result?.findings ?? [],
      // Results decided before the FAR table existed read as "no estimate".
      match: submission.result?.match ? { ...submission.result.match, estimatedFar: submission.result.match.estimatedFar ?? null } : null,
      failure: submission.result?.failure ?? null,
      ...(submission.result?.consentAction ? { consentAction: submission.result.consentAction } : {}),
      document: submission.result?.document ?? null,
      liveness: withoutOtherSubjects(submission.result?.liveness ?? null),
      timings: submission.result?.timings ?? {},
      attempts: submission.attempts,
      createdAt: submission.createdAt.toISOString(),
      completedAt: submission.completedAt?.toISOString() ?? null,
      retention: items.map((i) => retentionEntry(i, rules, held)),
    };
  }
}

/** Another subject's submission is named to nobody: the flag says a document was reused, not by whom. */
function withoutOtherSubjects(liveness: LivenessSummary | null): LivenessSummary | null {
  if (!liveness) return null;
  const matches = liveness.replay.matches.map((m) => (m.otherSubject ? { ...m, submissionId: null } : m));
  return { ...liveness, replay: { ...liveness.replay, matches } };
}

/** One stored item's timer as clients see it. */
export function retentionEntry(i: StoredItem, rules: ReturnType<typeof retentionRules>, held: boolean): RetentionEntry {
  return {
    item: i.itemClass,
    role: i.role,
    policy: i.policy,
    legalBasis: rules[i.itemClass].legalBasis,
    deleteAt: i.deleteAt?.toISOString() ?? null,
    deleteCondition: i.deleteCondition,
    deletedAt: i.deletedAt?.toISOString() ?? null,
    onHold: held && !i.deletedAt,
  };
}
