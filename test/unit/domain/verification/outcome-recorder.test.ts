import { describe, expect, it } from 'vitest';
import type { SubmissionKind } from '../../../../src/domain/submissions/submission.js';
import type { NewTemplate } from '../../../../src/domain/verification/matching.js';
import { recordOutcome, type Outcome } from '../../../../src/domain/verification/outcome-recorder.js';
import { SubmissionProcessor } from '../../../../src/domain/verification/submission-processor.js';
import { RETENTION, submissionsHarness } from '../../../support/in-memory/submissions.js';
import { subjectRecord } from '../../../support/in-memory/retention.js';

const DAY = 86_400_000;
const ENGINE = { info: { name: 'human', model: 'm', version: '1', detector: 'ssd', backend: 'wasm' } };

/** The recorder over in-memory ports, with a subject `s1` and one queued submission of each kind asked for. */
function world(maxRecent = 2) {
  const h = submissionsHarness();
  h.ports.subjects.rows.set('s1', subjectRecord({ id: 's1', enrolledAt: null }));
  const deps = { uow: h.uow, vault: h.vault, retention: RETENTION, clock: h.clock, engine: ENGINE, audit: h.audit, gallery: { maxRecent } };
  const submit = async (id: string, kind: SubmissionKind, images: readonly ('selfie' | 'document' | 'frame-00')[] = ['selfie']) => {
    await h.ports.submissions.insert({ id, subjectId: 's1', kind, createdAt: h.clock.now() });
    for (const role of images) {
      await h.ports.items.insert({
        id: `${id}-${role}`, subjectId: 's1', submissionId: id, role, blobKey: `${id}-${role}`, templateId: null,
        itemClass: role === 'document' ? 'document_image' : role === 'frame-00' ? 'liveness_frame' : 'selfie_image',
        policy: 'images-30d-after-decision', deleteAt: new Date(h.clock.now().getTime() + 30 * DAY), deleteCondition: null, createdAt: h.clock.now(),
      });
    }
    return (await h.ports.submissions.startAttempt(id, h.clock.now()))!;
  };
  return { ...h, deps, submit };
}

const template = (source: 'selfie' | 'document', status: NewTemplate['status'] = 'active'): NewTemplate =>
  ({ source, status, embedding: new Float32Array([0.1, 0.2, 0.3]), faceScore: 0.95 });

function decided(decision: 'verified' | 'needs_review' | 'rejected', newTemplates: readonly NewTemplate[] = []): Outcome {
  return { status: 'completed', decision, reasons: [`MATCH_${decision.toUpperCase()}`], result: { findings: [], match: null, timings: {} }, newTemplates };
}

describe('recording a decision', () => {
  it('completes a verified enrolment once: its images timed from the decision, the result and both references kept, the subject enrolled', async () => {
    const w = world();
    const submission = await w.submit('enrol-1', 'enrollment', ['selfie', 'document']);
    w.clock.advanceDays(1);
    const decidedAt = w.clock.now();

    expect(await recordOutcome(w.deps, submission, decided('verified', [template('selfie'), template('document')]))).toBe(true);

    expect(await w.ports.submissions.findById('enrol-1')).toMatchObject({ status: 'completed', decision: 'verified', completedAt: decidedAt });
    const items = await w.ports.items.listForSubmission('enrol-1');
    const images = items.filter((i) => i.itemClass === 'selfie_image' || i.itemClass === 'document_image');
    for (const image of images) expect(image.deleteAt).toEqual(new Date(decidedAt.getTime() + 30 * DAY));
    expect(items.find((i) => i.itemClass === 'result')).toMatchObject({ policy: 'results-365d', deleteAt: new Date(decidedAt.getTime() + 365 * DAY) });
    const refs = w.ports.templates.of('s1');
    expect(refs.map((t) => [t.source, t.status, t.model]).sort()).toEqual([['document', 'active', 'm'], ['selfie', 'active', 'm']]);
    // Each reference has its ledger entry, kept until consent ends.
    expect(items.filter((i) => i.itemClass === 'reference_template').map((i) => i.templateId).sort()).toEqual(refs.map((t) => t.id).sort());
    expect((await w.ports.subjects.findById('s1'))?.enrolledAt).toEqual(decidedAt);
    expect(w.log.actions()).toEqual(['submission.decided']);
  });

  it('records nothing the second time: a job re-run after a crash finds the submission terminal', async () => {
    const w = world();
    const submission = await w.submit('enrol-1', 'enrollment', ['selfie', 'document']);
    await recordOutcome(w.deps, submission, decided('verified', [template('selfie'), template('document')]));

    expect(await recordOutcome(w.deps, submission, decided('rejected'))).toBe(false);

    expect((await w.ports.submissions.findById('enrol-1'))?.decision).toBe('verified');
    expect(w.ports.templates.of('s1')).toHaveLength(2);
    expect((await w.ports.items.listForSubmission('enrol-1')).filter((i) => i.itemClass === 'result')).toHaveLength(1);
    expect(w.log.actions()).toEqual(['submission.decided']);
    // A terminal submission is not started again either.
    expect(await w.ports.submissions.startAttempt('enrol-1', w.clock.now())).toBeNull();
  });

  it('keeps no reference and enrols nobody when an enrolment is rejected', async () => {
    const w = world();
    const submission = await w.submit('enrol-1', 'enrollment', ['selfie', 'document']);
    await recordOutcome(w.deps, submission, decided('rejected'));
    expect(w.ports.templates.of('s1')).toEqual([]);
    expect((await w.ports.subjects.findById('s1'))?.enrolledAt).toBeNull();
  });

  it('makes the images due at once when consent was withdrawn while the job waited', async () => {
    const w = world();
    const submission = await w.submit('verify-1', 'verification', ['selfie', 'frame-00']);
    const withdrawn: Outcome = { ...decided('rejected'), status: 'failed', decision: null, purgeImagesNow: true };

    await recordOutcome(w.deps, submission, withdrawn);

    const images = (await w.ports.items.listForSubmission('verify-1')).filter((i) => i.itemClass !== 'result');
    expect(images.map((i) => [i.itemClass, i.policy, i.deleteAt])).toEqual([
      ['selfie_image', 'consent-withdrawn', w.clock.now()], ['liveness_frame', 'consent-withdrawn', w.clock.now()],
    ]);
    expect((await w.ports.submissions.findById('verify-1'))?.status).toBe('failed');
  });

  it('lets a verified proof of life join the gallery and retires the oldest proof-of-life reference beyond the limit', async () => {
    const w = world(2);
    const seed = async (id: string, origin: 'enrollment' | 'verification', daysAgo: number) => {
      await w.ports.templates.insert({
        id, subjectId: 's1', submissionId: `sub-${id}`, source: 'selfie', model: 'm', modelVersion: '1', status: 'active',
        sealedEmbedding: Buffer.alloc(12), faceScore: 0.9, createdAt: new Date(w.clock.now().getTime() - daysAgo * DAY),
      }, origin);
      await w.ports.items.insert({
        id: `item-${id}`, subjectId: 's1', submissionId: `sub-${id}`, itemClass: 'reference_template', role: 'selfie', blobKey: null,
        templateId: id, policy: 'template-until-consent-withdrawn', deleteAt: null, deleteCondition: 'consent_withdrawn_or_subject_closed', createdAt: w.clock.now(),
      });
    };
    await seed('anchor', 'enrollment', 400);
    await seed('old', 'verification', 300);
    await seed('recent', 'verification', 100);
    const submission = await w.submit('verify-2', 'verification');

    await recordOutcome(w.deps, submission, decided('verified', [template('selfie')]));

    const status = Object.fromEntries(w.ports.templates.of('s1').map((t) => [t.id, t.status]));
    expect(status).toMatchObject({ anchor: 'active', old: 'retired', recent: 'active' });
    expect(w.ports.templates.of('s1').filter((t) => t.status === 'active')).toHaveLength(3);
    expect((await w.ports.items.findById('item-old'))?.deletedAt).toEqual(w.clock.now());
    expect(w.log.actions()).toEqual(['template.joined-gallery', 'template.retired', 'submission.decided']);
    expect(w.log.entries[1]).toMatchObject({ targetId: 'old', details: { reason: 'GALLERY_FULL', maxRecent: 2 } });
  });

  it('confirms the consent a phone recorded before enrolment when the enrolment is verified, in the same transaction', async () => {
    const w = world();
    w.ports.consents.pendingFirst.set('s1', ['consent-1']);
    const submission = await w.submit('enrol-1', 'enrollment', ['selfie', 'document']);

    await recordOutcome(w.deps, submission, decided('verified', [template('selfie'), template('document')]));

    expect(w.ports.consents.settledFirst).toEqual([{
      subjectId: 's1', consentIds: ['consent-1'], ended: null,
      confirmation: { method: 'selfie', submissionId: 'enrol-1', decision: 'verified', score: null },
    }]);
    expect(w.log.actions()).toEqual(['consent.face-confirmed', 'submission.decided']);
  });
});

describe('the processor\'s state transitions without a face engine', () => {
  function processor(w: ReturnType<typeof world>, covered: boolean) {
    const scheduled: string[] = [];
    const withdrawals: { submissionId: string; decision: string | null; decidedInScope: boolean }[] = [];
    const p = new SubmissionProcessor({
      uow: w.uow, vault: w.vault, engine: ENGINE as never, ops: {} as never, calibration: {} as never, retention: RETENTION,
      selfieRules: { minFacePx: 80, rivalAreaRatio: 0.35 }, clock: w.clock, audit: w.audit,
      consents: {
        isCovered: async () => covered,
        // Settled with the ports of the transaction that records the decision: the submission is terminal there already.
        settleWithdrawal: async (scope, submissionId, decision) => {
          const decidedInScope = (await scope.submissions.findById(submissionId))?.status === 'failed';
          withdrawals.push({ submissionId, decision, decidedInScope });
          return null;
        },
      },
      liveness: { assess: async () => { throw new Error('not reached'); } },
      timers: { scheduleSubmission: async (id) => void scheduled.push(id) },
    });
    return { p, scheduled, withdrawals };
  }

  it('fails a submission whose consent was withdrawn while it waited, purges its images at once, and skips it when re-run', async () => {
    const w = world();
    await w.ports.submissions.insert({ id: 'verify-1', subjectId: 's1', kind: 'verification', createdAt: w.clock.now() });
    const { p, scheduled } = processor(w, false);

    expect(await p.process('verify-1')).toEqual({ status: 'failed', decision: null, reasons: ['CONSENT_WITHDRAWN'] });
    expect(await w.ports.submissions.findById('verify-1')).toMatchObject({ status: 'failed', attempts: 1, result: { failure: { code: 'CONSENT_WITHDRAWN' } } });
    expect(scheduled).toEqual(['verify-1']);

    expect(await p.process('verify-1')).toEqual({ status: 'skipped', why: 'not_found_or_terminal' });
    expect(await p.process('nothing')).toEqual({ status: 'skipped', why: 'not_found_or_terminal' });
  });

  it('gives a submission up after its retries with a terminal failure, once', async () => {
    const w = world();
    await w.submit('verify-1', 'verification');
    const { p, scheduled } = processor(w, true);

    expect(await p.failPermanently('verify-1', 'PROCESSING_ERROR')).toBe(true);
    expect(await w.ports.submissions.findById('verify-1')).toMatchObject({ status: 'failed', reasons: ['PROCESSING_ERROR'] });
    expect(await p.failPermanently('verify-1', 'PROCESSING_ERROR')).toBe(false);
    expect(scheduled).toEqual(['verify-1']);
  });

  it('fails a proof of life whose selfie is gone, without a retry', async () => {
    const w = world();
    await w.ports.submissions.insert({ id: 'verify-1', subjectId: 's1', kind: 'verification', createdAt: w.clock.now() });
    const { p } = processor(w, true);
    expect(await p.process('verify-1')).toEqual({ status: 'failed', decision: null, reasons: ['IMAGE_UNAVAILABLE'] });
  });

  it('refuses a phone\'s withdrawal whose selfie could not be processed, settled with the decision, and says so to the phone', async () => {
    const w = world();
    await w.submit('withdraw-1', 'consent-withdrawal');
    const { p, withdrawals } = processor(w, true);

    expect(await p.failPermanently('withdraw-1', 'PROCESSING_ERROR')).toBe(true);

    expect(withdrawals).toEqual([{ submissionId: 'withdraw-1', decision: null, decidedInScope: true }]);
    expect((await w.ports.submissions.findById('withdraw-1'))?.result?.consentAction).toMatchObject({
      action: 'withdrawal', carriedOut: false, code: 'CONSENT_WITHDRAWAL_REFUSED',
    });
  });
});
