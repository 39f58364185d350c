import { DAY_MS } from '../../shared/clock.js';
import type { TemplateStatus } from '../verification/template.js';

/**
 * A model upgrade batch: every subject whose references were extracted by another model (or another
 * version of it) gets new references from the images retention still holds, or is marked for
 * re-enrolment where it holds none. Pure rules here; the runners and the repository do the I/O.
 */

export const BATCH_STATES = ['running', 'paused', 'completed', 'cancelled'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

/** What became of one subject in a batch. */
export const SUBJECT_OUTCOMES = ['re_extracted', 'marked_for_reenrolment', 'failed', 'skipped'] as const;
export type SubjectOutcome = (typeof SUBJECT_OUTCOMES)[number];
export const SUBJECT_STATES = ['pending', ...SUBJECT_OUTCOMES] as const;
export type SubjectState = (typeof SUBJECT_STATES)[number];

/** The model a batch moves references to: the engine's `info.model` and `info.version`. */
export interface ModelTarget {
  readonly model: string;
  readonly version: string;
}

export interface BatchCounts {
  /** Subjects the fan-out found needing new references (rows in model_upgrade_subjects). */
  readonly queued: number;
  readonly reExtracted: number;
  readonly markedForReenrolment: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface ModelUpgradeBatch {
  readonly id: string;
  readonly target: ModelTarget;
  readonly state: BatchState;
  /** Days a superseded template's embedding is kept before retention deletes it. */
  readonly supersededGraceDays: number;
  /** Last subject id the fan-out committed; null before the first page. */
  readonly cursor: string | null;
  readonly fanoutDoneAt: Date | null;
  readonly counts: BatchCounts;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly pausedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly cancelReason: string | null;
  /** Why the batch stopped by itself (e.g. the workers run another version of the model). */
  readonly lastError: string | null;
}

/** One subject of a batch, as operators list them. */
export interface UpgradeSubjectRow {
  readonly subjectId: string;
  readonly pensionNumber: string;
  readonly state: SubjectState;
  readonly reason: string | null;
  readonly templates: number;
  readonly finishedAt: Date | null;
}

/** A reference template as far as the upgrade needs to know it. */
export interface TemplateRef {
  readonly id: string;
  readonly submissionId: string;
  readonly source: 'selfie' | 'document';
  readonly model: string;
  readonly modelVersion: string;
  readonly status: TemplateStatus;
}

/** A retention ledger entry of an image. */
export interface ImageRef {
  readonly id: string;
  readonly submissionId: string | null;
  readonly itemClass: string;
  readonly blobKey: string | null;
  readonly deletedAt: Date | null;
}

export const isTargetTemplate = (t: Pick<TemplateRef, 'model' | 'modelVersion'>, target: ModelTarget): boolean =>
  t.model === target.model && t.modelVersion === target.version;

/**
 * One reference to make: the image of a (submission, source) and the templates of other models taken
 * from it, which the new one replaces. `image` is null where retention has deleted it.
 */
export interface PlannedReference {
  readonly submissionId: string;
  readonly source: 'selfie' | 'document';
  readonly replaces: readonly TemplateRef[];
  readonly image: ImageRef | null;
}

export type UpgradePlan =
  | { readonly kind: 'nothing-to-do'; readonly reason: 'ALREADY_UPGRADED' | 'NO_USABLE_TEMPLATE' }
  | { readonly kind: 're-extract'; readonly references: readonly PlannedReference[] };

/**
 * What to do for a subject, given their usable templates (active or pending review) and the image
 * entries of the submissions those came from. A subject who already holds a reference of the target
 * model needs nothing: the upgrade never adds a second one. Templates of several old models taken
 * from the same image become one new reference.
 */
export function planUpgrade(templates: readonly TemplateRef[], images: readonly ImageRef[], target: ModelTarget): UpgradePlan {
  if (templates.some((t) => isTargetTemplate(t, target))) return { kind: 'nothing-to-do', reason: 'ALREADY_UPGRADED' };
  if (!templates.length) return { kind: 'nothing-to-do', reason: 'NO_USABLE_TEMPLATE' };
  const groups = new Map<string, TemplateRef[]>();
  for (const t of templates) {
    const key = `${t.submissionId}/${t.source}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return {
    kind: 're-extract',
    references: [...groups.values()].map((replaces) => {
      const { submissionId, source } = replaces[0]!;
      const image = images.find((i) => i.submissionId === submissionId && i.itemClass === `${source}_image`
        && i.blobKey !== null && i.deletedAt === null) ?? null;
      return { submissionId, source, replaces, image };
    }),
  };
}

/** The new reference is in use if any template it replaces was; otherwise it awaits the same review. */
export const newReferenceStatus = (replaces: readonly TemplateRef[]): 'active' | 'pending_review' =>
  replaces.some((t) => t.status === 'active') ? 'active' : 'pending_review';

/** How one reference's re-extraction went. `gone`: no image to read (retention deleted it). */
export type ExtractionResult =
  | { readonly kind: 'extracted' }
  | { readonly kind: 'gone'; readonly reason: string }
  | { readonly kind: 'unusable'; readonly reason: string };

export const IMAGES_DELETED = 'REFERENCE_IMAGES_DELETED';

/**
 * The subject's outcome: one reference of the new model is enough to prove life with it, so any
 * extraction is a success. With none, a subject whose images are all gone is marked for re-enrolment;
 * one whose images the new model could not use has `failed` (and must enrol again as well).
 */
export function subjectOutcome(results: readonly ExtractionResult[]): { outcome: Exclude<SubjectOutcome, 'skipped'>; reason: string | null; reenrol: boolean } {
  const problems = results.filter((r) => r.kind !== 'extracted');
  if (problems.length < results.length) return { outcome: 're_extracted', reason: problems[0]?.reason ?? null, reenrol: false };
  const unusable = problems.find((r) => r.kind === 'unusable');
  if (unusable) return { outcome: 'failed', reason: unusable.reason, reenrol: true };
  return { outcome: 'marked_for_reenrolment', reason: IMAGES_DELETED, reenrol: true };
}

/** When a superseded template's embedding goes: after the grace period, never later than it was due anyway. */
export function supersededDeleteAt(now: Date, graceDays: number, dueBefore: Date | null): Date {
  const end = new Date(now.getTime() + graceDays * DAY_MS);
  return dueBefore && dueBefore.getTime() < end.getTime() ? dueBefore : end;
}

/** Progress for operators: subjects done of those found, and whether the batch can still change. */
export function progressOf(batch: ModelUpgradeBatch) {
  const { counts } = batch;
  const done = counts.reExtracted + counts.markedForReenrolment + counts.failed + counts.skipped;
  const pending = Math.max(0, counts.queued - done);
  return {
    done,
    pending,
    /** Of the subjects found so far; the total is final once the fan-out is done. */
    percentDone: counts.queued ? Math.round((done / counts.queued) * 1000) / 10 : batch.fanoutDoneAt ? 100 : 0,
    totalKnown: batch.fanoutDoneAt !== null,
  };
}
