import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import type { ScopeNeed } from '../../../../src/domain/consent/consent.js';
import type { Passport } from '../../../../src/domain/subjects/passport.js';
import { IntakeService, type IntakeDeps } from '../../../../src/domain/submissions/intake.service.js';
import type { NormalizedImage } from '../../../../src/images/image-codec.js';
import { ConflictError } from '../../../../src/shared/errors.js';
import { RETENTION, submissionsHarness, type SubmissionsHarness } from '../../../support/in-memory/submissions.js';

const PHONE: Actor = { type: 'device', id: 'dev-1', role: null };
const PASSPORT: Passport = { documentType: 'tj_passport', number: 'A1234567', surname: 'RAHIMOV', givenNames: 'SAID', dateOfBirth: '1955-03-02', expiryDate: '2030-01-01' };

const image = (name: string): NormalizedImage =>
  ({ jpeg: Buffer.from(name), width: 640, height: 480, sourceType: 'jpeg', sourceSha256: name }) as NormalizedImage;

/** Intake over in-memory ports; what it queued, scheduled and redeemed is kept for the test to read. */
function world(opts: { consent?: boolean; queueDown?: boolean } = {}) {
  const h = submissionsHarness();
  const queued: string[] = [];
  const scheduled: string[] = [];
  const redeemed: { nonce: string | null; submissionId: string; frameCount: number }[] = [];
  const enqueueErrors: string[] = [];
  const deps: IntakeDeps<SubmissionsHarness['ports']> = {
    uow: h.uow, subjects: h.subjects, vault: h.vault, retention: RETENTION, clock: h.clock, audit: h.audit,
    consents: {
      require: async (_subjectId: string, needs: readonly ScopeNeed[]) => {
        if (opts.consent === false) throw new ConflictError('CONSENT_REQUIRED', 'No active written consent covers this processing.', { needs });
      },
      activeConsent: async () => ({}),
    },
    queue: {
      enqueue: async (id: string) => {
        if (opts.queueDown) throw new Error('redis unreachable');
        queued.push(id);
      },
    },
    timers: { scheduleSubmission: async (id: string) => void scheduled.push(id) },
    challenges: { redeem: async (_scope, input) => void redeemed.push(input) },
    onEnqueueError: (id) => void enqueueErrors.push(id),
  };
  return { ...h, intake: new IntakeService(deps), queued, scheduled, redeemed, enqueueErrors };
}

type World = ReturnType<typeof world>;

async function registered(w: World, ref = 'PN-100'): Promise<string> {
  return (await w.subjects.create(ref, PASSPORT, 'tg', PHONE)).id;
}

/** An active reference of the subject, as a verified enrolment leaves it. */
async function enrolled(w: World, subjectId: string): Promise<void> {
  await w.ports.templates.insert({
    id: `ref-${subjectId}`, subjectId, submissionId: 'enrol-0', source: 'selfie', model: 'm', modelVersion: '1', status: 'active',
    sealedEmbedding: Buffer.alloc(8), faceScore: 0.9, createdAt: w.clock.now(),
  }, 'enrollment');
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as ConflictError);

describe('intake of an enrolment', () => {
  it('seals both images, records the submission with their timers, then queues it and schedules its purge', async () => {
    const w = world();
    const subjectId = await registered(w);

    const id = await w.intake.enrol('pn-100', image('selfie'), image('document'));

    expect(await w.ports.submissions.findById(id)).toMatchObject({ subjectId, kind: 'enrollment', status: 'queued', attempts: 0 });
    const items = await w.ports.items.listForSubmission(id);
    expect(items.map((i) => [i.itemClass, i.role]).sort()).toEqual([['document_image', 'document'], ['selfie_image', 'selfie']]);
    // Before the decision, the term runs from the upload: an image whose check never ends still goes on a known date.
    const due = new Date(w.clock.now().getTime() + 30 * 86_400_000);
    for (const item of items) expect(item).toMatchObject({ deleteAt: due, policy: 'images-30d-after-decision', blobKey: item.id });
    expect([...w.vault.images.keys()].sort()).toEqual(items.map((i) => i.blobKey).sort());
    expect(w.queued).toEqual([id]);
    expect(w.scheduled).toEqual([id]);
  });

  it('asks for the passport fields when the subject has none, and stores what it is given', async () => {
    const w = world();
    await w.ports.subjects.insert({ id: 's-bare', ref: 'PN-200', createdAt: w.clock.now() });

    const missing = await refusal(w.intake.enrol('PN-200', image('selfie'), image('document')));
    expect(missing).toMatchObject({ code: 'PASSPORT_REQUIRED', status: 400 });
    expect(w.ports.submissions.rows).toEqual([]);

    await w.intake.enrol('PN-200', image('selfie'), image('document'), PASSPORT);
    expect(await w.subjects.passport((await w.ports.subjects.findById('s-bare'))!)).toEqual(PASSPORT);
  });

  it('refuses without consent, and stores and queues nothing', async () => {
    const w = world({ consent: false });
    await registered(w);

    expect(await refusal(w.intake.enrol('PN-100', image('selfie'), image('document')))).toMatchObject({ code: 'CONSENT_REQUIRED', status: 409 });
    expect(w.ports.submissions.rows).toEqual([]);
    expect(w.ports.items.rows).toEqual([]);
    expect(w.vault.images.size).toBe(0);
    expect(w.queued).toEqual([]);
  });

  it('refuses a subject who is not active, and an unknown one', async () => {
    const w = world();
    const subjectId = await registered(w);
    await w.ports.subjects.markErased(subjectId, w.clock.now(), 'request');

    expect(await refusal(w.intake.enrol('PN-100', image('selfie'), image('document')))).toMatchObject({ code: 'SUBJECT_NOT_ACTIVE' });
    expect(await refusal(w.intake.enrol('PN-404', image('selfie'), image('document')))).toMatchObject({ code: 'SUBJECT_NOT_FOUND', status: 404 });
  });

  it('keeps the submission when Redis cannot take the job: the stale sweep queues it, its purge is still scheduled', async () => {
    const w = world({ queueDown: true });
    await registered(w);

    const id = await w.intake.enrol('PN-100', image('selfie'), image('document'));

    expect((await w.ports.submissions.findById(id))?.status).toBe('queued');
    expect(w.enqueueErrors).toEqual([id]);
    expect(w.scheduled).toEqual([id]);
    expect(await w.ports.submissions.findStaleQueued(new Date(w.clock.now().getTime() + 1), 10)).toEqual([id]);
  });
});

describe('intake of a proof of life', () => {
  it('stores the selfie and the challenge frames in the order taken, and spends the nonce with the submission', async () => {
    const w = world();
    const subjectId = await registered(w);
    await enrolled(w, subjectId);

    const id = await w.intake.verify('PN-100', image('selfie'), { nonce: 'n-1', frames: [image('f0'), image('f1'), image('f2')] });

    const items = await w.ports.items.listForSubmission(id);
    expect(items.map((i) => i.role)).toEqual(['selfie', 'frame-00', 'frame-01', 'frame-02']);
    const frame = items.find((i) => i.itemClass === 'liveness_frame')!;
    expect(frame).toMatchObject({ policy: 'liveness-frames-24h', deleteAt: new Date(w.clock.now().getTime() + 24 * 3600_000) });
    expect(w.redeemed).toEqual([{ nonce: 'n-1', subjectId, submissionId: id, frameCount: 3 }]);
    expect(w.queued).toEqual([id]);
  });

  it('redeems no nonce when the app ran no challenge', async () => {
    const w = world();
    await enrolled(w, await registered(w));
    await w.intake.verify('PN-100', image('selfie'));
    expect(w.redeemed).toEqual([]);
  });

  it('refuses a subject never enrolled, with the code the app tells apart', async () => {
    const w = world();
    await registered(w);
    const error = await refusal(w.intake.verify('PN-100', image('selfie')));
    expect(error).toMatchObject({ code: 'SUBJECT_NOT_ENROLLED', status: 409 });
    expect(error?.message).toMatch(/enrol them first/);
    expect(w.ports.submissions.rows).toEqual([]);
    expect(w.queued).toEqual([]);
  });

  it('tells "wait for the enrolment" while it is queued or processing', async () => {
    const w = world();
    await registered(w);
    const enrolment = await w.intake.enrol('PN-100', image('selfie'), image('document'));

    expect(await refusal(w.intake.verify('PN-100', image('selfie')))).toMatchObject({
      code: 'ENROLLMENT_IN_PROGRESS', details: { submissionId: enrolment },
    });
    await w.ports.submissions.startAttempt(enrolment, w.clock.now());
    expect(await refusal(w.intake.verify('PN-100', image('selfie')))).toMatchObject({ code: 'ENROLLMENT_IN_PROGRESS' });
  });

  it('tells "awaiting review" for an enrolment a reviewer has not decided, and "enrol again" for a rejected one', async () => {
    const w = world();
    await registered(w);
    const enrolment = await w.intake.enrol('PN-100', image('selfie'), image('document'));
    const decide = (decision: 'needs_review' | 'rejected') => w.ports.submissions.complete(enrolment, {
      status: 'completed', decision, reasons: [], result: { findings: [], match: null, timings: {} }, at: w.clock.now(),
    });

    await decide('needs_review');
    expect(await refusal(w.intake.verify('PN-100', image('selfie')))).toMatchObject({ code: 'ENROLLMENT_AWAITING_REVIEW' });

    w.clock.advanceDays(1);
    const again = await w.intake.enrol('PN-100', image('selfie-2'), image('document-2'));
    await w.ports.submissions.complete(again, {
      status: 'completed', decision: 'rejected', reasons: [], result: { findings: [], match: null, timings: {} }, at: w.clock.now(),
    });
    const error = await refusal(w.intake.verify('PN-100', image('selfie')));
    expect(error).toMatchObject({ code: 'SUBJECT_NOT_ENROLLED', details: { submissionId: again } });
    expect(error?.message).toMatch(/not accepted/);
  });
});

describe('intake of a phone\'s consent withdrawal', () => {
  it('files the withdrawal request and its audit entry with the submission that carries the selfie', async () => {
    const w = world();
    const subjectId = await registered(w);
    await enrolled(w, subjectId);

    const id = await w.intake.requestWithdrawal('PN-100', 'consent-1', image('selfie'), 'moving abroad', PHONE);

    expect((await w.ports.submissions.findById(id))?.kind).toBe('consent-withdrawal');
    expect(w.ports.consents.withdrawals).toEqual([{
      submissionId: id, subjectId, consentId: 'consent-1', reason: 'moving abroad', requestedBy: JSON.stringify(PHONE), createdAt: w.clock.now(),
    }]);
    expect(w.log.entries.find((e) => e.action === 'consent.withdrawal-requested')).toMatchObject({
      subjectId, targetId: 'consent-1', details: { submissionId: id },
    });
    expect(w.queued).toEqual([id]);
  });

  it('sends a subject with no reference to the office: nothing to match the selfie with', async () => {
    const w = world();
    await registered(w);
    expect(await refusal(w.intake.requestWithdrawal('PN-100', 'consent-1', image('selfie'), 'r', PHONE))).toMatchObject({ code: 'SUBJECT_NOT_ENROLLED' });
    expect(w.ports.consents.withdrawals).toEqual([]);
  });
});
