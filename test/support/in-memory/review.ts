import { AuditService } from '../../../src/domain/audit/audit.service.js';
import type {
  CaseClaim, QueueEntry, QueueFilter, ReviewPorts, ReviewRecord, ReviewRepository,
} from '../../../src/domain/review/review-ports.js';
import type { Submission } from '../../../src/domain/submissions/submission.js';
import type { TemplateRepository } from '../../../src/domain/verification/verification-ports.js';
import { MutableClock } from '../mutable-clock.js';
import { InMemoryAuditLog } from './audit.js';
import { InMemoryLegalHolds, InMemoryStoredItems } from './retention.js';
import { InMemoryConsentRequests, InMemoryGallery, InMemorySubjectRecords, InMemorySubmissions, InMemoryVault } from './submissions.js';
import { inMemoryUnitOfWork } from './unit-of-work.js';

/** References as review settles them: an enrolment's (or a proof of life's) pending templates become active or leave use. */
export class InMemoryReviewTemplates extends InMemoryGallery implements Pick<TemplateRepository, 'settlePending'> {
  async settlePending(submissionId: string, approve: boolean): Promise<string[]> {
    const settled: string[] = [];
    this.rows.forEach((t, i) => {
      if (t.submissionId !== submissionId || t.status !== 'pending_review') return;
      this.rows[i] = { ...t, status: approve ? 'active' : 'withdrawn' };
      settled.push(t.id);
    });
    return settled;
  }
}

/** Claims and decisions kept on the in-memory submissions, as storage keeps them on the submission rows. */
export class InMemoryReviews implements ReviewRepository {
  readonly claims = new Map<string, { claimedBy: string; claimedAt: Date }>();

  constructor(
    private readonly submissions: InMemorySubmissions,
    private readonly subjects: InMemorySubjectRecords,
    private readonly templates: InMemoryReviewTemplates,
  ) {}

  async queue(f: QueueFilter): Promise<QueueEntry[]> {
    return this.waitingRows().filter((s) => !f.reason || s.reasons.includes(f.reason)).slice(0, f.limit).map((s) => ({
      submissionId: s.id, subjectRef: this.subjects.rows.get(s.subjectId)?.ref ?? '', kind: s.kind as QueueEntry['kind'], reasons: [...s.reasons],
      similarity: s.result?.match?.similarity ?? null, completedAt: s.completedAt!, claimedBy: this.claims.get(s.id)?.claimedBy ?? null,
      claimedByName: null, claimedAt: this.claims.get(s.id)?.claimedAt ?? null, region: null, office: null,
    }));
  }

  async countsByReason(): Promise<{ reason: string; count: number }[]> {
    const counts = new Map<string, number>();
    for (const s of this.waitingRows()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([reason, count]) => ({ reason, count }));
  }

  async claim(submissionId: string, staffId: string, at: Date, staleBefore: Date): Promise<boolean> {
    if (!this.waiting(submissionId)) return false;
    const held = this.claims.get(submissionId);
    if (held && held.claimedBy !== staffId && held.claimedAt >= staleBefore) return false;
    this.claims.set(submissionId, { claimedBy: staffId, claimedAt: at });
    return true;
  }

  async decide(submissionId: string, staffId: string, decision: 'verified' | 'rejected', reasons: string[], review: ReviewRecord): Promise<boolean> {
    const s = this.waiting(submissionId);
    if (!s || this.claims.get(submissionId)?.claimedBy !== staffId) return false;
    const i = this.submissions.rows.indexOf(s);
    this.submissions.rows[i] = { ...s, machineDecision: s.decision, decision, reasons, review };
    return true;
  }

  async claimOf(submissionId: string): Promise<CaseClaim | null> {
    if (!(await this.submissions.findById(submissionId))) return null;
    const held = this.claims.get(submissionId);
    return { claimedBy: held?.claimedBy ?? null, claimedAt: held?.claimedAt ?? null };
  }

  async enrolmentsOfReferences(subjectId: string, templateIds: readonly string[]): Promise<string[]> {
    return [...new Set(this.templates.rows.filter((t) => t.subjectId === subjectId && templateIds.includes(t.id)).map((t) => t.submissionId))];
  }

  async sameSubject(submissionId: string, otherSubmissionId: string): Promise<boolean> {
    const [a, b] = await Promise.all([this.submissions.findById(submissionId), this.submissions.findById(otherSubmissionId)]);
    return !!a && !!b && a.subjectId === b.subjectId;
  }

  private waiting(id: string): Submission | null {
    return this.waitingRows().find((s) => s.id === id) ?? null;
  }

  private waitingRows(): Submission[] {
    return this.submissions.rows.filter((s) => s.decision === 'needs_review' && !s.review)
      .sort((a, b) => (a.completedAt?.getTime() ?? 0) - (b.completedAt?.getTime() ?? 0));
  }
}

/** Review's ports in memory, with the audit service and a clock over them. */
export function reviewHarness(now = new Date('2026-12-01T09:00:00Z')) {
  const clock = new MutableClock(now);
  const submissions = new InMemorySubmissions();
  const subjects = new InMemorySubjectRecords();
  const templates = new InMemoryReviewTemplates();
  const ports = {
    submissions, subjects, templates, items: new InMemoryStoredItems(new InMemoryLegalHolds()), consents: new InMemoryConsentRequests(),
    audit: new InMemoryAuditLog(), reviews: new InMemoryReviews(submissions, subjects, templates),
  } satisfies ReviewPorts;
  const uow = inMemoryUnitOfWork(ports);
  return { clock, ports, uow, audit: new AuditService({ uow, clock }), vault: new InMemoryVault(), log: ports.audit };
}
