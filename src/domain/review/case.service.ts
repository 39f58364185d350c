import { NotFoundError } from '../../shared/errors.js';
import type { Submission } from '../submissions/submission.js';
import type { SubmissionQueryService, SubmissionView } from '../submissions/submission-query.service.js';
import type { Subject } from '../subjects/subject.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ReviewPorts } from './review-ports.js';

/** An image a reviewer may open on a case, and whether it is still held. */
export interface CaseImage {
  readonly submissionId: string;
  /** 'selfie', 'document', or 'frame-NN' for a challenge frame. */
  readonly role: string;
  readonly label: 'new-selfie' | 'document' | 'reference-selfie' | 'reference-document' | 'frame';
  readonly available: boolean;
  readonly box: { x: number; y: number; width: number; height: number } | null;
  readonly width: number | null;
  readonly height: number | null;
}

/** Everything a reviewer needs to judge one case, side by side. */
export interface CaseFile {
  readonly view: SubmissionView;
  readonly subject: Subject;
  readonly claimedBy: string | null;
  /** When the claim was taken: with the claim TTL it tells whether it still holds. */
  readonly claimedAt: Date | null;
  readonly images: readonly CaseImage[];
  readonly history: readonly Submission[];
}

export interface CaseServiceDeps {
  readonly uow: UnitOfWork<Pick<ReviewPorts, 'reviews' | 'submissions' | 'subjects' | 'items'>>;
  readonly submissions: Pick<SubmissionQueryService, 'get'>;
}

/** Builds the case page's data: the case, the enrolled references it was compared with, the history. */
export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  async get(submissionId: string): Promise<CaseFile> {
    const repos = this.deps.uow.ports;
    const submission = await repos.submissions.findById(submissionId);
    if (!submission) throw new NotFoundError('SUBMISSION_NOT_FOUND', 'No such case.');
    const [view, subject, history, claim] = await Promise.all([
      this.deps.submissions.get(submissionId),
      repos.subjects.findById(submission.subjectId),
      repos.submissions.listForSubject(submission.subjectId, 20),
      repos.reviews.claimOf(submissionId),
    ]);
    const images: CaseImage[] = [];
    const add = async (s: Submission, role: 'selfie' | 'document', label: CaseImage['label']) => {
      const items = await repos.items.listForSubmission(s.id);
      const item = items.find((i) => i.role === role && i.blobKey);
      const finding = s.result?.findings.find((f) => f.role === role);
      images.push({
        submissionId: s.id, role, label, available: Boolean(item && !item.deletedAt),
        // A page analysed after turning it upright has its box in the turned picture: no overlay on the stored one.
        box: finding?.rotation ? null : finding?.face?.box ?? null, width: finding?.width ?? null, height: finding?.height ?? null,
      });
    };
    await add(submission, 'selfie', 'new-selfie');
    if (submission.kind === 'enrollment') await add(submission, 'document', 'document');
    // Challenge frames, in the order taken, while their short retention lasts.
    const frames = (await repos.items.listForSubmission(submission.id)).filter((i) => i.itemClass === 'liveness_frame')
      .sort((a, b) => (a.role ?? '').localeCompare(b.role ?? ''));
    for (const f of frames) {
      images.push({ submissionId: submission.id, role: f.role ?? '', label: 'frame', available: !f.deletedAt, box: null, width: null, height: null });
    }
    // The references a verification was compared with come from an earlier enrolment of the same subject.
    const refIds = new Set((submission.result?.match?.comparedWith ?? []).map((c) => c.templateId).filter((t): t is string => Boolean(t)));
    if (refIds.size) {
      for (const enrolmentId of await repos.reviews.enrolmentsOfReferences(submission.subjectId, [...refIds])) {
        const enrolment = await repos.submissions.findById(enrolmentId);
        if (!enrolment) continue;
        await add(enrolment, 'selfie', 'reference-selfie');
        await add(enrolment, 'document', 'reference-document');
      }
    }
    return { view, subject: subject!, claimedBy: claim?.claimedBy ?? null, claimedAt: claim?.claimedAt ?? null, images, history };
  }

  /** True when an image belongs to the case's subject (a reviewer opens only what the case shows). */
  imageBelongsToCase(caseId: string, imageSubmissionId: string): Promise<boolean> {
    return this.deps.uow.ports.reviews.sameSubject(caseId, imageSubmissionId);
  }
}
