import { describe, expect, it } from 'vitest';
import type { ModelCalibration } from '../../../../src/config/calibration.js';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { ReviewService, type ReviewDecisionInput } from '../../../../src/domain/review/review.service.js';
import type { Submission, SubmissionKind } from '../../../../src/domain/submissions/submission.js';
import type { StoredTemplate } from '../../../../src/domain/verification/template.js';
import { reviewHarness } from '../../../support/in-memory/review.js';
import { storedItem, subjectRecord } from '../../../support/in-memory/retention.js';
import { RETENTION } from '../../../support/in-memory/submissions.js';

const ZARINA: Actor & { id: string } = { type: 'staff', id: 'staff-zarina', role: 'reviewer' };
const FARRUH: Actor & { id: string } = { type: 'staff', id: 'staff-farruh', role: 'reviewer' };
const CLAIM_TTL_MS = 15 * 60_000;
const MODEL = 'test-model';
const CALIBRATION: ModelCalibration = {
  metric: 'euclidean', verifyMaxDistance: 0.4, reviewMaxDistance: 0.5, similarityZeroAtDistance: 1,
  source: 'test', calibratedOn: null, calibratedAt: null,
};
const APPROVE: ReviewDecisionInput = { outcome: 'approve', reasonCode: 'SAME_PERSON_CONFIRMED', comment: 'same man, older photo' };
const REJECT: ReviewDecisionInput = { outcome: 'reject', reasonCode: 'DIFFERENT_PERSON', comment: '' };

/** Review over in-memory ports, with one subject and what the service scheduled and announced kept for the test. */
function world(opts: { deleteImagesAfterReview?: boolean; consentCovers?: boolean; maxRecent?: number } = {}) {
  const h = reviewHarness();
  h.ports.subjects.rows.set('s1', subjectRecord({ id: 's1', enrolledAt: null }));
  const scheduled: string[] = [];
  const decided: { submissionId: string; decision: string }[] = [];
  const review = new ReviewService({
    uow: h.uow, audit: h.audit, clock: h.clock, retention: RETENTION,
    settings: { claimTtlMs: CLAIM_TTL_MS, deleteImagesAfterReview: opts.deleteImagesAfterReview ?? false },
    timers: { scheduleSubmission: async (id) => void scheduled.push(id) },
    events: { decided: (e) => void decided.push({ submissionId: e.submissionId, decision: e.decision }) },
    references: {
      vault: h.vault, calibrationFor: () => CALIBRATION, maxRecent: opts.maxRecent ?? 3,
      consents: { isCovered: async () => opts.consentCovers ?? true },
    },
  });

  /** A case the machine sent to review, with its images held on the usual timers. */
  const waitingCase = (id: string, kind: SubmissionKind = 'verification'): Submission => {
    const row: Submission = {
      id, subjectId: 's1', kind, status: 'completed', decision: 'needs_review', reasons: ['MATCH_UNCERTAIN'], result: null, attempts: 1,
      createdAt: h.clock.now(), startedAt: h.clock.now(), completedAt: h.clock.now(), machineDecision: null, review: null,
    };
    h.ports.submissions.rows.push(row);
    for (const itemClass of ['selfie_image', 'document_image'] as const) {
      h.ports.items.rows.push(storedItem({ id: `${id}-${itemClass}`, submissionId: id, itemClass, deleteAt: null, policy: 'pending-decision' }));
    }
    return row;
  };
  const template = async (id: string, submissionId: string, over: Partial<StoredTemplate> & { embedding: number[] }, origin?: 'enrollment' | 'verification') => {
    const sealed = await h.vault.sealEmbedding('s1', id, new Float32Array(over.embedding));
    await h.ports.templates.insert({
      id, subjectId: 's1', submissionId, source: 'selfie', model: MODEL, modelVersion: '1', status: 'active', faceScore: 0.99,
      createdAt: h.clock.now(), ...over, sealedEmbedding: sealed,
    }, origin);
    h.ports.items.rows.push(storedItem({ id: `item-${id}`, submissionId, itemClass: 'reference_template', templateId: id }));
  };
  const submission = (id: string) => h.ports.submissions.rows.find((s) => s.id === id)!;
  const status = (templateId: string) => h.ports.templates.rows.find((t) => t.id === templateId)!.status;
  return { ...h, review, scheduled, decided, waitingCase, template, submission, status };
}

describe('claiming a case', () => {
  it('a reviewer claims a waiting case, and the claim is audited', async () => {
    const w = world();
    w.waitingCase('case-1');
    await w.review.claim('case-1', ZARINA);
    expect((await w.review.queue({ limit: 10 }))[0]).toMatchObject({ submissionId: 'case-1', claimedBy: ZARINA.id });
    expect(w.log.entries.at(-1)).toMatchObject({ action: 'review.claimed', targetId: 'case-1', actor: { id: ZARINA.id } });
  });

  it('refuses a case another reviewer holds, until that claim lapses; then it may be taken over', async () => {
    const w = world();
    w.waitingCase('case-1');
    await w.review.claim('case-1', ZARINA);
    await expect(w.review.claim('case-1', FARRUH)).rejects.toMatchObject({ code: 'CASE_NOT_AVAILABLE', status: 409 });
    expect(w.log.actions()).toEqual(['review.claimed']);

    const claimedAt = w.clock.now();
    w.clock.set(new Date(claimedAt.getTime() + CLAIM_TTL_MS - 1000));
    expect(w.review.claimHolds(claimedAt)).toBe(true);
    await expect(w.review.claim('case-1', FARRUH)).rejects.toMatchObject({ code: 'CASE_NOT_AVAILABLE' });

    w.clock.set(new Date(claimedAt.getTime() + CLAIM_TTL_MS + 1000));
    expect(w.review.claimHolds(claimedAt)).toBe(false);
    await w.review.claim('case-1', FARRUH);
    expect((await w.review.queue({ limit: 10 }))[0]!.claimedBy).toBe(FARRUH.id);
  });

  it('the reviewer holding a case may claim it again, which renews the claim', async () => {
    const w = world();
    w.waitingCase('case-1');
    await w.review.claim('case-1', ZARINA);
    w.clock.set(new Date(w.clock.now().getTime() + CLAIM_TTL_MS + 1000));
    await w.review.claim('case-1', ZARINA);
    await expect(w.review.claim('case-1', FARRUH)).rejects.toMatchObject({ code: 'CASE_NOT_AVAILABLE' });
  });

  it('refuses a case that is decided already, or not waiting for a person at all', async () => {
    const w = world();
    w.waitingCase('case-1');
    await w.review.claim('case-1', ZARINA);
    await w.review.decide('case-1', ZARINA, 'Zarina Rahimova', APPROVE);
    await expect(w.review.claim('case-1', ZARINA)).rejects.toMatchObject({ code: 'CASE_NOT_AVAILABLE' });
    await expect(w.review.claim('no-such-case', ZARINA)).rejects.toMatchObject({ code: 'CASE_NOT_AVAILABLE' });
  });
});

describe('deciding a case', () => {
  it('an approval verifies the case, keeps the machine decision beside it, audits it and announces it', async () => {
    const w = world();
    w.waitingCase('case-1');
    await w.review.claim('case-1', ZARINA);
    expect(await w.review.decide('case-1', ZARINA, 'Zarina Rahimova', APPROVE)).toBe('verified');

    expect(w.submission('case-1')).toMatchObject({
      decision: 'verified', machineDecision: 'needs_review', reasons: ['MATCH_UNCERTAIN', 'REVIEW_SAME_PERSON_CONFIRMED'],
      review: { outcome: 'approve', reasonCode: 'SAME_PERSON_CONFIRMED', by: ZARINA.id, byName: 'Zarina Rahimova', comment: APPROVE.comment },
    });
    expect(w.log.entries.at(-1)).toMatchObject({
      action: 'review.decided', subjectId: 's1', targetId: 'case-1', details: { outcome: 'approve', reasonCode: 'SAME_PERSON_CONFIRMED', decision: 'verified' },
    });
    expect(w.scheduled).toEqual(['case-1']);
    expect(w.decided).toEqual([{ submissionId: 'case-1', decision: 'verified' }]);
    expect(await w.review.queue({ limit: 10 })).toEqual([]);
  });

  it('a rejection and a request to recapture both reject; a recapture says so in the reasons', async () => {
    const w = world();
    w.waitingCase('case-1');
    w.waitingCase('case-2');
    await w.review.claim('case-1', ZARINA);
    await w.review.claim('case-2', ZARINA);
    expect(await w.review.decide('case-1', ZARINA, 'Zarina', REJECT)).toBe('rejected');
    expect(await w.review.decide('case-2', ZARINA, 'Zarina', { outcome: 'recapture', reasonCode: 'IMAGE_TOO_POOR', comment: '' })).toBe('rejected');
    expect(w.submission('case-1').reasons).toEqual(['MATCH_UNCERTAIN', 'REVIEW_DIFFERENT_PERSON']);
    expect(w.submission('case-2').reasons).toEqual(['MATCH_UNCERTAIN', 'REVIEW_IMAGE_TOO_POOR', 'RECAPTURE_REQUESTED']);
  });

  it("starts the images' retention timers at the decision, or deletes them at once when the office asks", async () => {
    const usual = world();
    usual.waitingCase('case-1');
    await usual.review.claim('case-1', ZARINA);
    await usual.review.decide('case-1', ZARINA, 'Zarina', APPROVE);
    const due = new Date(usual.clock.now().getTime() + RETENTION.imagesDays * 86_400_000);
    expect(usual.ports.items.rows.filter((i) => i.submissionId === 'case-1').map((i) => i.deleteAt)).toEqual([due, due]);

    const strict = world({ deleteImagesAfterReview: true });
    strict.waitingCase('case-1');
    await strict.review.claim('case-1', ZARINA);
    await strict.review.decide('case-1', ZARINA, 'Zarina', APPROVE);
    expect(strict.ports.items.rows.filter((i) => i.submissionId === 'case-1').map((i) => [i.deleteAt, i.policy]))
      .toEqual([[strict.clock.now(), 'deleted-after-review'], [strict.clock.now(), 'deleted-after-review']]);
  });

  it('refuses a decision on a case not claimed, claimed by another, or with a reason of another outcome', async () => {
    const w = world();
    w.waitingCase('case-1');
    await expect(w.review.decide('case-1', ZARINA, 'Zarina', APPROVE)).rejects.toMatchObject({ code: 'CASE_NOT_CLAIMED', status: 409 });
    await w.review.claim('case-1', FARRUH);
    await expect(w.review.decide('case-1', ZARINA, 'Zarina', APPROVE)).rejects.toMatchObject({ code: 'CASE_NOT_CLAIMED' });
    await expect(w.review.decide('case-1', FARRUH, 'Farruh', { ...APPROVE, reasonCode: 'DIFFERENT_PERSON' }))
      .rejects.toMatchObject({ code: 'REVIEW_REASON_INVALID', status: 400 });
    await expect(w.review.decide('no-such-case', FARRUH, 'Farruh', APPROVE)).rejects.toMatchObject({ code: 'CASE_NOT_AVAILABLE' });
    expect(w.submission('case-1').decision).toBe('needs_review');
    expect(w.scheduled).toEqual([]);
    expect(w.decided).toEqual([]);
    expect(w.log.actions()).not.toContain('review.decided');
  });
});

describe('an enrolment decided by a person', () => {
  /** An enrolment in review with its document's reference pending and a phone's first consent waiting for it, claimed. */
  async function claimedEnrolment() {
    const w = world();
    w.waitingCase('enrol-1', 'enrollment');
    await w.template('t-doc', 'enrol-1', { embedding: [0, 0], source: 'document', status: 'pending_review' });
    w.ports.consents.pendingFirst.set('s1', ['consent-1']);
    await w.review.claim('enrol-1', ZARINA);
    return w;
  }

  it('approved: its references come into use, the subject is enrolled and the consents pending it are confirmed', async () => {
    const w = await claimedEnrolment();
    await w.review.decide('enrol-1', ZARINA, 'Zarina', APPROVE);

    expect(w.status('t-doc')).toBe('active');
    expect(w.ports.subjects.rows.get('s1')!.enrolledAt).toEqual(w.clock.now());
    expect(w.ports.consents.settledFirst).toEqual([
      { subjectId: 's1', consentIds: ['consent-1'], confirmation: { method: 'selfie', submissionId: 'enrol-1', decision: 'verified', score: null }, ended: null },
    ]);
    expect(w.log.actions()).toEqual(['review.claimed', 'consent.face-confirmed', 'review.decided']);
  });

  it('rejected: its references leave use and are purged, the subject stays unenrolled, the pending consents end', async () => {
    const w = await claimedEnrolment();
    await w.review.decide('enrol-1', ZARINA, 'Zarina', REJECT);

    expect(w.status('t-doc')).toBe('withdrawn');
    expect(w.ports.items.rows.find((i) => i.templateId === 't-doc')).toMatchObject({ deleteAt: w.clock.now(), policy: 'review-rejected' });
    expect(w.ports.subjects.rows.get('s1')!.enrolledAt).toBeNull();
    expect(w.ports.consents.settledFirst[0]).toMatchObject({ consentIds: ['consent-1'], ended: { reason: expect.stringMatching(/^FACE_NOT_CONFIRMED/) } });
    expect(w.log.actions()).toContain('consent.face-refused');
  });
});

describe('keeping an approved proof of life as a reference', () => {
  /** An enrolment's anchor at the origin, and a proof of life's selfie pending review `distance` away from it. */
  async function pendingSelfie(distance: number, opts: Parameters<typeof world>[0] = {}) {
    const w = world(opts);
    await w.template('anchor', 'enrol-0', { embedding: [0, 0], source: 'document' }, 'enrollment');
    w.waitingCase('case-1');
    await w.template('selfie-1', 'case-1', { embedding: [distance, 0], status: 'pending_review' });
    await w.review.claim('case-1', ZARINA);
    return w;
  }

  it('joins the gallery when the selfie verifies against the anchors alone: audited, and recorded on the review', async () => {
    const w = await pendingSelfie(0.2);
    await w.review.decide('case-1', ZARINA, 'Zarina', { ...APPROVE, keepAsReference: true });
    expect(w.status('selfie-1')).toBe('active');
    expect(w.submission('case-1').review?.referenceApproval).toBe('joined');
    expect(w.log.actions()).toEqual(['review.claimed', 'template.joined-gallery', 'review.decided']);
    expect(w.log.entries.at(-1)!.details).toMatchObject({ referenceApproval: 'joined' });
  });

  it('the oldest proof-of-life reference leaves when the gallery is full', async () => {
    const w = await pendingSelfie(0.2, { maxRecent: 1 });
    await w.template('recent-old', 'pol-0', { embedding: [0.1, 0], createdAt: new Date(w.clock.now().getTime() - 86_400_000) }, 'verification');
    await w.review.decide('case-1', ZARINA, 'Zarina', { ...APPROVE, keepAsReference: true });
    expect(w.status('selfie-1')).toBe('active');
    expect(w.status('recent-old')).toBe('retired');
    expect(w.ports.items.rows.find((i) => i.templateId === 'recent-old')!.deletedAt).not.toBeNull();
    expect(w.log.actions()).toContain('template.retired');
  });

  it('refuses, whatever the reviewer saw, a selfie that does not verify against the anchors; it leaves use and is purged', async () => {
    const w = await pendingSelfie(0.45);
    expect(await w.review.decide('case-1', ZARINA, 'Zarina', { ...APPROVE, keepAsReference: true })).toBe('verified');
    expect(w.status('selfie-1')).toBe('withdrawn');
    expect(w.ports.items.rows.find((i) => i.templateId === 'selfie-1')).toMatchObject({ policy: 'review-not-kept', deleteAt: w.clock.now() });
    expect(w.submission('case-1').review?.referenceApproval).toBe('refused_by_guard');
    expect(w.log.actions()).not.toContain('template.joined-gallery');
  });

  it('refuses without consent to keep references, and leaves the selfie out when the reviewer did not ask', async () => {
    const noConsent = await pendingSelfie(0.2, { consentCovers: false });
    await noConsent.review.decide('case-1', ZARINA, 'Zarina', { ...APPROVE, keepAsReference: true });
    expect(noConsent.status('selfie-1')).toBe('withdrawn');
    expect(noConsent.submission('case-1').review?.referenceApproval).toBe('no_consent');

    const notAsked = await pendingSelfie(0.2);
    await notAsked.review.decide('case-1', ZARINA, 'Zarina', APPROVE);
    expect(notAsked.status('selfie-1')).toBe('withdrawn');
    expect(notAsked.submission('case-1').review).not.toHaveProperty('referenceApproval');
  });
});
