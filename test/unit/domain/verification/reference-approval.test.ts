import { describe, expect, it } from 'vitest';
import type { ModelCalibration } from '../../../../src/config/calibration.js';
import type { ScopeNeed } from '../../../../src/domain/consent/consent.js';
import { judgeReviewedSelfie, mayBecomeReference, type ReferenceApprovalPorts } from '../../../../src/domain/verification/reference-approval.js';
import type { GalleryReference, ReferenceOrigin, TemplateStatus } from '../../../../src/domain/verification/template.js';

// A reviewer's "also keep this selfie as a reference", judged by the gallery's own rules over in-memory ports:
// embeddings are 2-d points here, "sealed" as their raw bytes, so distances are plain to read.
const calibration: ModelCalibration = {
  metric: 'euclidean', verifyMaxDistance: 0.4, reviewMaxDistance: 0.5, similarityZeroAtDistance: 0.8,
  source: 'test', calibratedOn: null, calibratedAt: null,
};
const SUBJECT = 'subject-1';
const CASE = 'case-1';

function template(id: string, submissionId: string, point: [number, number], status: TemplateStatus, origin: ReferenceOrigin): GalleryReference {
  return {
    id, subjectId: SUBJECT, submissionId, source: origin === 'document' ? 'document' : 'selfie', model: 'm', modelVersion: '1',
    status, sealedEmbedding: Buffer.from(new Float32Array(point).buffer), faceScore: 0.9, createdAt: new Date('2026-01-01'), origin,
  };
}

function ports(selfie: [number, number] | null, opts: { consent?: boolean; recent?: [number, number] } = {}) {
  const all = [
    template('doc', 'enrol', [0, 0], 'active', 'document'),
    template('enr', 'enrol', [0.1, 0], 'active', 'enrollment'),
    ...(opts.recent ? [template('old', 'earlier', opts.recent, 'active', 'verification')] : []),
    ...(selfie ? [template('cand', CASE, selfie, 'pending_review', 'verification')] : []),
  ];
  const asked: ScopeNeed[][] = [];
  const p: ReferenceApprovalPorts = {
    templates: {
      findUsable: async () => all.filter((t) => t.status === 'active' || t.status === 'pending_review'),
      findActive: async () => all.filter((t) => t.status === 'active'),
    },
    vault: { openEmbedding: async (_s, _id, sealed) => new Float32Array(sealed.buffer.slice(sealed.byteOffset, sealed.byteOffset + sealed.byteLength)) },
    consents: { isCovered: async (_s, needs) => { asked.push([...needs]); return opts.consent ?? true; } },
    calibrationFor: () => calibration,
  };
  return { p, asked };
}

describe("a reviewer's approval of a proof-of-life selfie as a reference", () => {
  it('joins when the selfie verifies against the enrolment anchors and consent covers reference templates', async () => {
    const { p, asked } = ports([0.2, 0.1]);
    expect(await judgeReviewedSelfie(p, SUBJECT, CASE)).toEqual({ approval: 'joined', templateId: 'cand', model: 'm' });
    expect(asked).toEqual([['referenceTemplate']]);
  });

  it("is refused by the poisoning guard when the selfie is far from the anchors, even if close to a recent reference", async () => {
    // An impostor who once slipped in as a recent reference: the new selfie resembles that one, not the anchors.
    const { p } = ports([2, 2], { recent: [2, 2.05] });
    expect((await judgeReviewedSelfie(p, SUBJECT, CASE)).approval).toBe('refused_by_guard');
  });

  it('is not kept without the consent scope referenceTemplate, whatever the faces say', async () => {
    const { p } = ports([0.05, 0], { consent: false });
    expect((await judgeReviewedSelfie(p, SUBJECT, CASE)).approval).toBe('no_consent');
  });

  it('has nothing to keep when the case kept no selfie (no usable face, or no gallery when processed)', async () => {
    const { p } = ports(null);
    expect(await judgeReviewedSelfie(p, SUBJECT, CASE)).toEqual({ approval: 'no_candidate', templateId: null, model: null });
  });
});

describe('which reviewed selfies may become a reference at all', () => {
  const clean = {
    quality: { pass: true, findings: [], components: null },
    liveness: { pass: true } as never,
    challenge: null,
    replay: { reasons: [], matches: [] },
  };

  it('a clean capture: quality and passive check passed, no challenge asked, no replay', () => {
    expect(mayBecomeReference(clean)).toBe(true);
  });

  it('never a capture that failed quality, the passive check or the challenge, or looked like a replay', () => {
    expect(mayBecomeReference({ ...clean, quality: { ...clean.quality, pass: false } })).toBe(false);
    expect(mayBecomeReference({ ...clean, liveness: { pass: false } as never })).toBe(false);
    expect(mayBecomeReference({ ...clean, challenge: { pass: false } as never })).toBe(false);
    expect(mayBecomeReference({ ...clean, replay: { reasons: ['REPLAY_SAME_IMAGE' as never], matches: [] } })).toBe(false);
  });
});
