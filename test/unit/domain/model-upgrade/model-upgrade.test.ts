import { describe, expect, it } from 'vitest';
import {
  IMAGES_DELETED, newReferenceStatus, planUpgrade, progressOf, subjectOutcome, supersededDeleteAt,
  type ImageRef, type ModelUpgradeBatch, type TemplateRef,
} from '../../../../src/domain/model-upgrade/model-upgrade.js';

const TARGET = { model: 'faceapi-frnet-128', version: '1.7.15' };
const template = (over: Partial<TemplateRef> = {}): TemplateRef => ({
  id: 't1', submissionId: 'sub-1', source: 'selfie', model: 'human-faceapi-frnet-5pt', modelVersion: '3.3.6', status: 'active', ...over,
});
const image = (over: Partial<ImageRef> = {}): ImageRef => ({
  id: 'i1', submissionId: 'sub-1', itemClass: 'selfie_image', blobKey: 'blob-1', deletedAt: null, ...over,
});

describe('planUpgrade', () => {
  it('pairs each old reference with the retained image it was taken from', () => {
    const plan = planUpgrade(
      [template(), template({ id: 't2', source: 'document' })],
      [image(), image({ id: 'i2', itemClass: 'document_image', blobKey: 'blob-2' }), image({ id: 'i3', submissionId: 'other' })],
      TARGET,
    );
    expect(plan).toEqual({
      kind: 're-extract',
      references: [
        { submissionId: 'sub-1', source: 'selfie', replaces: [template()], image: image() },
        { submissionId: 'sub-1', source: 'document', replaces: [template({ id: 't2', source: 'document' })], image: expect.objectContaining({ id: 'i2' }) },
      ],
    });
  });

  it('has no image for a reference whose image retention deleted (row marked, or blob key gone)', () => {
    const plan = planUpgrade([template(), template({ id: 't2', submissionId: 'sub-2' })],
      [image({ deletedAt: new Date() }), image({ id: 'i2', submissionId: 'sub-2', blobKey: null })], TARGET);
    expect(plan.kind === 're-extract' && plan.references.map((r) => r.image)).toEqual([null, null]);
  });

  it('makes one new reference from an image that several old models were taken from', () => {
    const plan = planUpgrade([template(), template({ id: 't2', model: 'human-faceres' })], [image()], TARGET);
    expect(plan.kind === 're-extract' && plan.references.map((r) => r.replaces.map((t) => t.id))).toEqual([['t1', 't2']]);
  });

  it('leaves a subject alone who already holds a reference of the target model version', () => {
    expect(planUpgrade([template(), template({ id: 't2', model: TARGET.model, modelVersion: TARGET.version })], [image()], TARGET))
      .toEqual({ kind: 'nothing-to-do', reason: 'ALREADY_UPGRADED' });
    expect(planUpgrade([], [image()], TARGET)).toEqual({ kind: 'nothing-to-do', reason: 'NO_USABLE_TEMPLATE' });
  });

  it('treats another version of the same model as old', () => {
    const plan = planUpgrade([template({ model: TARGET.model, modelVersion: '1.7.14' })], [image()], TARGET);
    expect(plan.kind).toBe('re-extract');
  });
});

describe('subjectOutcome', () => {
  it('counts a subject as re-extracted when at least one reference carried over, with the first problem as reason', () => {
    expect(subjectOutcome([{ kind: 'extracted' }, { kind: 'unusable', reason: 'DOCUMENT_PORTRAIT_NOT_FOUND' }]))
      .toEqual({ outcome: 're_extracted', reason: 'DOCUMENT_PORTRAIT_NOT_FOUND', reenrol: false });
    expect(subjectOutcome([{ kind: 'extracted' }])).toEqual({ outcome: 're_extracted', reason: null, reenrol: false });
  });

  it('marks for re-enrolment when every image is gone', () => {
    expect(subjectOutcome([{ kind: 'gone', reason: IMAGES_DELETED }, { kind: 'gone', reason: IMAGES_DELETED }]))
      .toEqual({ outcome: 'marked_for_reenrolment', reason: IMAGES_DELETED, reenrol: true });
  });

  it('fails (and asks for re-enrolment) when images were there but the new model could use none', () => {
    expect(subjectOutcome([{ kind: 'gone', reason: IMAGES_DELETED }, { kind: 'unusable', reason: 'SELFIE_NO_FACE' }]))
      .toEqual({ outcome: 'failed', reason: 'SELFIE_NO_FACE', reenrol: true });
  });
});

describe('the new reference and the old one', () => {
  it('is active if what it replaces was in use, else awaits the same review', () => {
    expect(newReferenceStatus([template({ status: 'pending_review' }), template()])).toBe('active');
    expect(newReferenceStatus([template({ status: 'pending_review' })])).toBe('pending_review');
  });

  it('deletes a superseded embedding after the grace period, never later than it was due', () => {
    const now = new Date('2026-11-01T00:00:00Z');
    expect(supersededDeleteAt(now, 30, null)).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(supersededDeleteAt(now, 30, new Date('2026-11-10T00:00:00Z'))).toEqual(new Date('2026-11-10T00:00:00Z'));
    expect(supersededDeleteAt(now, 0, null)).toEqual(now);
  });
});

describe('progressOf', () => {
  const batch = (counts: Partial<ModelUpgradeBatch['counts']>, fanoutDoneAt: Date | null): ModelUpgradeBatch => ({
    id: 'b', target: TARGET, state: 'running', supersededGraceDays: 30, cursor: null, fanoutDoneAt,
    counts: { queued: 0, reExtracted: 0, markedForReenrolment: 0, failed: 0, skipped: 0, ...counts },
    createdAt: new Date(), createdBy: 'test', pausedAt: null, finishedAt: null, cancelReason: null, lastError: null,
  });

  it('reports done and pending of the subjects found so far', () => {
    expect(progressOf(batch({ queued: 8, reExtracted: 3, markedForReenrolment: 1, failed: 1, skipped: 1 }, null)))
      .toEqual({ done: 6, pending: 2, percentDone: 75, totalKnown: false });
  });

  it('is complete for an empty cohort once the fan-out has seen it all', () => {
    expect(progressOf(batch({}, new Date())).percentDone).toBe(100);
    expect(progressOf(batch({}, null)).percentDone).toBe(0);
  });
});
