import type { FaceEngine, FaceFinding } from '../../engine/face-engine.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import { PURPOSE } from '../audit/audit-entry.js';
import type { ScopeNeed } from '../consent/consent.js';
import { retentionRules, SUPERSEDED_TEMPLATE_POLICY, timerFor, type RetentionSettings } from '../retention/retention-policy.js';
import { analyseDocument, analyseSelfie, type ImageOps } from '../verification/face-analysis.js';
import type { StoredItem } from '../retention/stored-item.js';
import type { SelfieRules } from '../verification/face-selection.js';
import {
  IMAGES_DELETED, newReferenceStatus, planUpgrade, subjectOutcome, supersededDeleteAt,
  type ExtractionResult, type ModelUpgradeBatch, type PlannedReference, type SubjectOutcome,
} from './model-upgrade.js';
import type { TargetEngines } from './model-upgrade-ports.js';
import { BATCH_TARGET, MODEL_UPGRADE_SYSTEM, completeIfDrained, type UpgradeBaseDeps } from './upgrade-audit.js';

/** A new reference template needs consent to processing and to keeping a template, as an enrolment does. */
const NEEDS: readonly ScopeNeed[] = ['biometricProcessing', 'referenceTemplate'];

export interface ReExtractorDeps extends UpgradeBaseDeps {
  readonly vault: Pick<BiometricVault, 'getImage' | 'sealEmbedding'>;
  readonly engines: Pick<TargetEngines, 'engineFor'>;
  readonly ops: ImageOps;
  readonly selfieRules: SelfieRules;
  readonly retention: RetentionSettings;
  readonly consents: { isCovered(subjectId: string, needs: readonly ScopeNeed[]): Promise<boolean> };
  /** Turns the superseded templates' new deadlines into purge jobs (the retention sweep is the guarantee). */
  readonly timers: { scheduleSubject(subjectId: string): Promise<void> };
}

/** What one subject job came to. Expected outcomes are values; only breakage (worth a retry) throws. */
export type ReExtractResult =
  | { readonly status: 'recorded'; readonly outcome: SubjectOutcome; readonly reason: string | null }
  | { readonly status: 'already-done' | 'not-running' | 'missing' | 'engine-mismatch' | 'engine-unavailable' };

interface Work {
  readonly outcome: SubjectOutcome;
  readonly reason: string | null;
  readonly reenrol: boolean;
  readonly made: readonly { readonly ref: PlannedReference; readonly face: FaceFinding }[];
}

/** The subject's templates changed while we worked (consent withdrawn, a review): nothing is written. */
class TemplatesChanged extends Error {}

const skip = (reason: string): Work => ({ outcome: 'skipped', reason, reenrol: false, made: [] });
// Stored images were decoded once at upload; one that fails now is corrupt, not a passing fault.
const CORRUPT = /Input buffer|unsupported image format|corrupt|premature/i;

/**
 * Re-extracts one subject's references with the batch's model from the images retention still holds,
 * or marks the subject for re-enrolment. Everything is written in one transaction guarded by the
 * subject's pending row: a job run twice, or by two workers at once, records once. The old templates
 * are superseded only in that transaction, after the new ones exist.
 */
export class TemplateReExtractor {
  constructor(private readonly deps: ReExtractorDeps) {}

  async reExtract(batchId: string, subjectId: string): Promise<ReExtractResult> {
    const { modelUpgrades } = this.deps.uow.ports;
    const [batch, state] = await Promise.all([modelUpgrades.findById(batchId), modelUpgrades.subjectState(batchId, subjectId)]);
    if (!batch || !state) return { status: 'missing' };
    if (state !== 'pending') return { status: 'already-done' };
    if (batch.state !== 'running') return { status: 'not-running' };
    let engine: FaceEngine;
    try {
      engine = await this.deps.engines.engineFor(batch.target.model);
    } catch (error) {
      // A model that fails to load or its checksum fails for every subject alike: stop, rather than fail them all.
      await this.stop(batch, 'ENGINE_UNAVAILABLE', (error as Error).message);
      return { status: 'engine-unavailable' };
    }
    if (engine.info.model !== batch.target.model || engine.info.version !== batch.target.version) {
      await this.stop(batch, 'ENGINE_VERSION_MISMATCH', `workers run ${engine.info.model} ${engine.info.version}`);
      return { status: 'engine-mismatch' };
    }
    let work = await this.examine(batch, subjectId, engine);
    let recorded: boolean;
    try {
      recorded = await this.record(batch, subjectId, work);
    } catch (error) {
      if (!(error instanceof TemplatesChanged)) throw error;
      work = skip('TEMPLATES_CHANGED');
      recorded = await this.record(batch, subjectId, work);
    }
    if (!recorded) return { status: 'already-done' };
    return this.after(batch, subjectId, work);
  }

  /**
   * Retries are exhausted (the engine or the storage keeps failing on this subject): the subject is
   * recorded as failed, without a re-enrolment request, so that the batch can finish and a later batch tries again.
   */
  async failPermanently(batchId: string, subjectId: string, code: string): Promise<boolean> {
    const batch = await this.deps.uow.ports.modelUpgrades.findById(batchId);
    if (!batch) return false;
    const work: Work = { outcome: 'failed', reason: code, reenrol: false, made: [] };
    if (!(await this.record(batch, subjectId, work))) return false;
    await this.after(batch, subjectId, work);
    return true;
  }

  private async examine(batch: ModelUpgradeBatch, subjectId: string, engine: FaceEngine): Promise<Work> {
    const repos = this.deps.uow.ports;
    const subject = await repos.subjects.findById(subjectId);
    if (!subject || subject.status !== 'active') return skip('SUBJECT_NOT_ACTIVE');
    if (!(await this.deps.consents.isCovered(subjectId, NEEDS))) return skip('CONSENT_NOT_COVERED');
    const templates = await repos.templates.findUsable(subjectId);
    const submissionIds = [...new Set(templates.map((t) => t.submissionId))];
    const images = (await Promise.all(submissionIds.map((id) => repos.items.listForSubmission(id)))).flat();
    const plan = planUpgrade(templates, images, batch.target);
    if (plan.kind === 'nothing-to-do') return skip(plan.reason);

    const results: ExtractionResult[] = [];
    const made: Work['made'][number][] = [];
    for (const ref of plan.references) {
      const { result, face } = await this.extract(batch, subjectId, ref, engine);
      results.push(result);
      if (face) made.push({ ref, face });
    }
    return { ...subjectOutcome(results), made };
  }

  /** One image through the new model, as the submission worker analyses it (same face choice, same rules). */
  private async extract(batch: ModelUpgradeBatch, subjectId: string, ref: PlannedReference, engine: FaceEngine): Promise<{ result: ExtractionResult; face?: FaceFinding }> {
    if (!ref.image?.blobKey) return { result: { kind: 'gone', reason: IMAGES_DELETED } };
    let jpeg: Buffer | null;
    try {
      jpeg = await this.deps.vault.getImage(subjectId, ref.image.blobKey);
    } catch (error) {
      if (error instanceof AppError) return { result: { kind: 'unusable', reason: error.code } };
      throw error;
    }
    if (!jpeg) return { result: { kind: 'gone', reason: IMAGES_DELETED } };
    // The system's own reads of biometric data are audited like anyone's (Art. 25).
    await this.deps.audit.record({
      actor: MODEL_UPGRADE_SYSTEM, action: 'image.read', purpose: PURPOSE, subjectId, targetType: `${ref.source}_image`,
      targetId: ref.image.id, outcome: 'success', details: { batchId: batch.id, submissionId: ref.submissionId },
    });
    try {
      const { ops, selfieRules } = this.deps;
      const analysis = ref.source === 'selfie' ? await analyseSelfie(engine, ops, jpeg, selfieRules) : await analyseDocument(engine, ops, jpeg);
      if (!analysis.face) return { result: { kind: 'unusable', reason: analysis.reason ?? 'NO_FACE' } };
      return { result: { kind: 'extracted' }, face: analysis.face };
    } catch (error) {
      if (error instanceof Error && CORRUPT.test(error.message)) return { result: { kind: 'unusable', reason: 'IMAGE_UNPROCESSABLE' } };
      throw error;
    }
  }

  /** Writes the outcome; false when another run recorded this subject first. */
  private async record(batch: ModelUpgradeBatch, subjectId: string, work: Work): Promise<boolean> {
    const { uow, vault, clock, audit } = this.deps;
    const now = clock.now();
    const sealed = await Promise.all(work.made.map(async (m) => {
      const id = newId();
      return { ...m, id, sealedEmbedding: await vault.sealEmbedding(subjectId, id, m.face.embedding) };
    }));
    const fallbackTimer = timerFor(retentionRules(this.deps.retention).reference_template, now);
    return uow.transaction(async (r) => {
      const claimed = await r.modelUpgrades.finishSubject(batch.id, subjectId, { outcome: work.outcome, reason: work.reason, templates: sealed.length, at: now });
      if (!claimed) return false;
      for (const { ref, face, id, sealedEmbedding } of sealed) {
        for (const old of ref.replaces) if (!(await r.templates.supersede(old.id, old.status))) throw new TemplatesChanged();
        const inserted = await r.templates.insert({
          id, subjectId, submissionId: ref.submissionId, source: ref.source, model: batch.target.model, modelVersion: batch.target.version,
          status: newReferenceStatus(ref.replaces), sealedEmbedding, faceScore: face.score, createdAt: now,
        });
        if (!inserted) throw new TemplatesChanged();
        // The new reference keeps the deadline of the one it replaces: re-extraction never extends retention.
        const oldItems = (await Promise.all(ref.replaces.map((t) => r.items.findForTemplate(t.id))))
          .filter((i): i is StoredItem => i !== null && i.deletedAt === null);
        const timer = oldItems[0] ?? fallbackTimer;
        await r.items.insert({
          id: newId(), subjectId, submissionId: ref.submissionId, itemClass: 'reference_template', role: ref.source, blobKey: null,
          templateId: id, policy: timer.policy, deleteAt: timer.deleteAt, deleteCondition: timer.deleteCondition, createdAt: now,
        });
        for (const item of oldItems) await r.items.retime(item.id, supersededDeleteAt(now, batch.supersededGraceDays, item.deleteAt), SUPERSEDED_TEMPLATE_POLICY);
        await audit.record({
          actor: MODEL_UPGRADE_SYSTEM, action: 'template.re-extracted', purpose: PURPOSE, subjectId, targetType: 'reference_template',
          targetId: id, outcome: 'success',
          details: { batchId: batch.id, model: batch.target.model, version: batch.target.version, source: ref.source, replaces: ref.replaces.map((t) => t.id) },
        }, r);
      }
      if (work.reenrol) {
        await r.subjects.markReenrolmentRequired(subjectId, now, work.reason ?? IMAGES_DELETED);
        await audit.record({
          actor: MODEL_UPGRADE_SYSTEM, action: 'subject.reenrolment-required', purpose: PURPOSE, subjectId, targetType: 'subject',
          targetId: subjectId, outcome: work.outcome === 'failed' ? 'failure' : 'success',
          details: { batchId: batch.id, model: batch.target.model, outcome: work.outcome, reason: work.reason },
        }, r);
      }
      return true;
    });
  }

  /**
   * After a recorded subject: purge jobs for the superseded templates, the batch's end. (The next subjects
   * go to Redis when this job has left the queue: the worker calls the dispatcher then.)
   */
  private async after(batch: ModelUpgradeBatch, subjectId: string, work: Work): Promise<ReExtractResult> {
    if (work.made.length) await this.deps.timers.scheduleSubject(subjectId);
    await completeIfDrained(this.deps, batch.id);
    return { status: 'recorded', outcome: work.outcome, reason: work.reason };
  }

  /**
   * The workers cannot run the batch's model version (another version installed, or the model will not
   * load): the batch is paused with the reason rather than write references nobody asked for.
   */
  private async stop(batch: ModelUpgradeBatch, code: 'ENGINE_VERSION_MISMATCH' | 'ENGINE_UNAVAILABLE', detail: string): Promise<void> {
    const { uow, audit, clock } = this.deps;
    await uow.transaction(async (ports) => {
      const paused = await ports.modelUpgrades.changeState(batch.id, ['running'], 'paused', clock.now(), { lastError: `${code}: ${detail}` });
      if (!paused) return;
      await audit.record({
        actor: MODEL_UPGRADE_SYSTEM, action: 'model-upgrade.paused', targetType: BATCH_TARGET, targetId: batch.id, outcome: 'failure',
        details: { reason: code, model: batch.target.model, version: batch.target.version },
      }, ports);
    });
  }
}
