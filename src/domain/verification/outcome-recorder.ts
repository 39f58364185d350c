import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import { retentionRules, timerFor, type RetentionSettings } from '../retention/retention-policy.js';
import type { Decision, Submission, SubmissionResult } from '../submissions/submission.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, SYSTEM_WORKER } from '../audit/audit-entry.js';
import { settleFirstConsents } from '../consent/consent-confirmation.service.js';
import { WITHDRAWN_POLICY } from '../consent/consent.service.js';
import { keepGalleryBounded } from './gallery-membership.js';
import type { NewTemplate } from './matching.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { OutcomePorts } from './processor-ports.js';

/** The terminal state of a submission, ready to be written. */
export interface Outcome {
  readonly status: 'completed' | 'failed';
  readonly decision: Decision | null;
  readonly reasons: readonly string[];
  readonly result: SubmissionResult;
  readonly newTemplates: readonly NewTemplate[];
  /** Images are due for deletion at once (consent withdrawn) instead of after the usual term. */
  readonly purgeImagesNow?: boolean;
}

/** The reference gallery's size beyond the anchors (GALLERY_MAX_RECENT). */
export interface GallerySettings {
  readonly maxRecent: number;
}

/** As src/config/env.ts's GALLERY_MAX_RECENT default, for processors built without configuration (tests, tools). */
export const DEFAULT_GALLERY: GallerySettings = { maxRecent: 3 };

/** `Scope`: the ports the unit of work hands out; whatever commits alongside the outcome writes with them too. */
export interface RecorderDeps<Scope extends OutcomePorts> {
  readonly uow: UnitOfWork<Scope>;
  readonly vault: Pick<BiometricVault, 'sealEmbedding'>;
  readonly retention: RetentionSettings;
  readonly clock: Clock;
  readonly engine: { readonly info: { readonly model: string; readonly version: string } };
  readonly audit: AuditService;
  readonly gallery: GallerySettings;
}

/**
 * Writes the outcome, its templates and every retention timer in one transaction. The status guard
 * in `complete` makes a second writer (a job re-run after a crash) a no-op: returns false then. `alongside` commits
 * with it (a phone's consent withdrawal or consent, settled by this decision); so do the consents a phone recorded
 * before this enrolment, confirmed or ended by it before any of its templates is in use.
 */
export async function recordOutcome<Scope extends OutcomePorts>(
  deps: RecorderDeps<Scope>, submission: Submission, outcome: Outcome, alongside?: (scope: Scope) => Promise<void>,
): Promise<boolean> {
  const decidedAt = deps.clock.now();
  const rules = retentionRules(deps.retention);
  const sealed = await Promise.all(outcome.newTemplates.map(async (t) => {
    const id = newId();
    return { id, template: t, sealedEmbedding: await deps.vault.sealEmbedding(submission.subjectId, id, t.embedding) };
  }));

  return deps.uow.transaction(async (repos) => {
    const first = await repos.submissions.complete(submission.id, { ...outcome, at: decidedAt });
    if (!first) return false;

    for (const itemClass of ['selfie_image', 'document_image', 'liveness_frame'] as const) {
      const timer = outcome.purgeImagesNow
        ? { deleteAt: decidedAt, policy: WITHDRAWN_POLICY }
        : timerFor(rules[itemClass], decidedAt);
      if (timer.deleteAt) await repos.items.reschedule(submission.id, itemClass, timer.deleteAt, timer.policy);
    }
    const resultTimer = timerFor(rules.result, decidedAt);
    await repos.items.insert({
      id: newId(), subjectId: submission.subjectId, submissionId: submission.id, itemClass: 'result', role: null,
      blobKey: null, templateId: null, policy: resultTimer.policy, deleteAt: resultTimer.deleteAt,
      deleteCondition: resultTimer.deleteCondition, createdAt: decidedAt,
    });

    const templateTimer = timerFor(rules.reference_template, decidedAt);
    for (const { id, template, sealedEmbedding } of sealed) {
      await repos.templates.insert({
        id, subjectId: submission.subjectId, submissionId: submission.id, source: template.source,
        model: deps.engine.info.model, modelVersion: deps.engine.info.version, status: template.status,
        sealedEmbedding, faceScore: template.faceScore, createdAt: decidedAt,
      });
      await repos.items.insert({
        id: newId(), subjectId: submission.subjectId, submissionId: submission.id, itemClass: 'reference_template',
        role: template.source, blobKey: null, templateId: id, policy: templateTimer.policy,
        deleteAt: templateTimer.deleteAt, deleteCondition: templateTimer.deleteCondition, createdAt: decidedAt,
      });
    }
    // A selfie kept pending a reviewer's word is no reference yet: it joins only if the reviewer approves it as one.
    const joined = submission.kind === 'verification' ? sealed.find((s) => s.template.status === 'active') : undefined;
    if (joined) {
      await keepGalleryBounded(deps.audit, repos, {
        subjectId: submission.subjectId, submissionId: submission.id, joinedId: joined.id, model: deps.engine.info.model,
        maxRecent: deps.gallery.maxRecent, actor: SYSTEM_WORKER, at: decidedAt,
      });
    }
    if (submission.kind === 'enrollment' && outcome.decision === 'verified') {
      await repos.subjects.markEnrolled(submission.subjectId, decidedAt);
    }
    if (submission.kind === 'enrollment') {
      await settleFirstConsents(deps.audit, repos, {
        subjectId: submission.subjectId, submissionId: submission.id, decision: outcome.decision,
        score: outcome.result.match?.similarity ?? null, actor: SYSTEM_WORKER, at: decidedAt,
      });
    }
    await deps.audit.record({
      actor: SYSTEM_WORKER, action: 'submission.decided', purpose: PURPOSE, subjectId: submission.subjectId,
      targetType: 'submission', targetId: submission.id, outcome: outcome.status === 'completed' ? 'success' : 'failure',
      details: { kind: submission.kind, status: outcome.status, decision: outcome.decision, reasons: [...outcome.reasons] },
    }, repos);
    await alongside?.(repos);
    return true;
  });
}
