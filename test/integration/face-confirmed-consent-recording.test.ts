import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfDatasets, identityImages } from '../support/datasets.js';
import { makePassportPage } from '../support/passport-page.js';
import { consentBody, linkPhone, PASSPORT, startStack, type Stack } from '../support/stack.js';

// Face-confirmed consent recording (issue #17 item 4, docs/SECURITY.md), with the real worker and real faces: a phone's
// first consent waits for the enrolment that follows it; a later one is recorded only if the worker matches its selfie
// with the references; at the office the operator records the identity check instead of a selfie.
describeIfDatasets('face-confirmed consent recording', () => {
  let stack: Stack;
  const person = (n: number) => readFileSync(identityImages('deepface_id01')[n - 1]!);
  const stranger = (n: number) => readFileSync(identityImages('facerec_obama')[n - 1]!);
  const db = () => stack.service.platform.db;

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    for (const ref of ['PN-CR-1', 'PN-CR-2']) {
      expect((await stack.office.json('POST', '/v1/subjects', { subjectId: ref, passport: PASSPORT })).status).toBe(201);
      await linkPhone(stack.client, ref);
    }
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const consents = async (ref: string) => (await stack.client.json('GET', `/v1/subjects/${ref}/consents`)).body.consents;
  // The subject's consent as the phone and the office read it (GET /v1/subjects/{id}).
  const consentState = async (ref: string) => (await stack.office.json('GET', `/v1/subjects/${ref}`)).body.consent;
  const enrol = async (ref: string, selfie: Buffer) => {
    const page = await makePassportPage({ facePhoto: identityImages('deepface_id01')[1]! });
    const res = await stack.client.multipart(`/v1/subjects/${ref}/enrollments`, { selfie, document: page });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return { id: res.body.submissionId as string, result: await stack.client.waitForSubmission(res.body.submissionId, 120_000) };
  };
  const audited = (action: string, subjectRef: string) => db().query<{ actor_type: string; target_id: string; outcome: string; details: Record<string, unknown> }>(
    `SELECT a.actor_type, a.target_id, a.outcome, a.details FROM audit_log a JOIN subjects s ON s.id = a.subject_id
      WHERE a.action = $1 AND s.external_ref = $2 ORDER BY a.seq`, [action, subjectRef]);
  const requestConsent = async (selfie: Buffer, fields: Record<string, string> = {}) => stack.client.multipart('/v1/subjects/PN-CR-1/consent-requests', {
    selfie, evidence: Buffer.from('eyJhbGciOiJFUzI1NiJ9.re-consent.sig'),
  }, {
    textVersion: '2026-11-v1', language: 'ru', purpose: 'pension-proof-of-life',
    scope: JSON.stringify({ biometricProcessing: true, referenceTemplate: true }), channel: 'mobile-app-signature',
    signedAt: new Date(Date.now() - 60_000).toISOString(), ...fields,
  });

  it("a phone's first consent is pending until the enrolment that follows is verified, then keeps that selfie's decision, score, submission and timer", async () => {
    const recorded = await stack.client.json('POST', '/v1/subjects/PN-CR-1/consents', consentBody());
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body).toMatchObject({ status: 'active', confirmation: { method: 'enrolment-pending' }, confirmationSelfie: null });
    const [text] = await db().query<{ content_sha256: string }>(`SELECT content_sha256 FROM consent_texts WHERE version = '2026-11-v1' AND language = 'tg'`);
    expect(recorded.body.textSha256).toBe(text!.content_sha256);
    // Not yet confirmed by the pensioner's face: the subject's state says so, to the phone and to the office.
    expect(await consentState('PN-CR-1')).toBe('pending-confirmation');
    expect((await stack.client.json('GET', '/v1/subjects/PN-CR-1')).body.consent).toBe('pending-confirmation');

    const { id, result } = await enrol('PN-CR-1', person(1));
    expect(result, JSON.stringify(result.reasons)).toMatchObject({ decision: 'verified' });
    expect(await consentState('PN-CR-1')).toBe('active');
    const [consent] = await consents('PN-CR-1');
    expect(consent).toMatchObject({ id: recorded.body.id, status: 'active', confirmation: { method: 'selfie', submissionId: id, decision: 'verified' } });
    expect(consent.confirmation.score).toBeCloseTo(result.match.similarity, 6);
    // The enrolment selfie that confirmed it keeps its own retention timer, shown with the consent.
    expect(Date.parse(consent.confirmationSelfie.deleteAt)).toBeGreaterThan(Date.now());
    const confirmed = await audited('consent.face-confirmed', 'PN-CR-1');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ actor_type: 'system', target_id: recorded.body.id, details: { submissionId: id } });
  }, 180_000);

  it("a first consent whose enrolment shows another person's face ends unconfirmed, no template is in use, and the phone consents again", async () => {
    const recorded = await stack.client.json('POST', '/v1/subjects/PN-CR-2/consents', consentBody());
    expect(recorded.status).toBe(201);
    expect(await consentState('PN-CR-2')).toBe('pending-confirmation');
    const { id, result } = await enrol('PN-CR-2', stranger(1));
    expect(result.decision).not.toBe('verified');
    if (result.decision === 'needs_review') {
      // The machine left it to a person: the reviewer's rejection settles the consent the same way.
      const reviewer = await stack.service.access.staffAuth.createUser('nodira', 'Nodira Saidova', 'reviewer', 'correct horse battery staple');
      const actor = { type: 'staff' as const, id: reviewer.id, role: 'reviewer' };
      await stack.service.review.review.claim(id, actor);
      await stack.service.review.review.decide(id, actor, reviewer.displayName, { outcome: 'reject', reasonCode: 'DIFFERENT_PERSON', comment: '' });
    }
    const [ended] = await consents('PN-CR-2');
    expect(ended).toMatchObject({
      id: recorded.body.id, status: 'withdrawn', confirmation: { method: 'selfie', submissionId: id, decision: 'rejected' },
      withdrawalReason: expect.stringMatching(/^FACE_NOT_CONFIRMED/),
    });
    expect(await audited('consent.face-refused', 'PN-CR-2')).toHaveLength(1);
    expect(await consentState('PN-CR-2')).toBe('withdrawn');
    const templates = await db().query<{ status: string }>(
      `SELECT t.status FROM reference_templates t JOIN subjects s ON s.id = t.subject_id WHERE s.external_ref = 'PN-CR-2' AND t.status = 'active'`);
    expect(templates).toEqual([]);
    // Nothing covers processing now; the phone records the consent again before its next try.
    expect((await stack.client.json('POST', '/v1/subjects/PN-CR-2/consents', consentBody())).body.confirmation).toEqual({ method: 'enrolment-pending' });
    expect(await consentState('PN-CR-2')).toBe('pending-confirmation');
  }, 240_000);

  it('once enrolled, the phone cannot record a consent without a selfie: the JSON route says so in its languages', async () => {
    const res = await stack.client.json('POST', '/v1/subjects/PN-CR-1/consents', consentBody({ language: 'ru' }));
    expect([res.status, res.body.error.code]).toEqual([400, 'CONSENT_SELFIE_REQUIRED']);
    expect(Object.keys(res.body.error.details.messages).sort()).toEqual(['en', 'ru', 'tg']);
    const bad = await requestConsent(person(3), { purpose: 'marketing' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'PURPOSE_NOT_ALLOWED']);
    expect(await consents('PN-CR-1')).toHaveLength(1);
  });

  it("a stranger's selfie records nothing: refused with a code the phone shows, audited as the phone's", async () => {
    const res = await requestConsent(stranger(2));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const result = await stack.client.waitForSubmission(res.body.submissionId, 120_000);
    expect(result).toMatchObject({ kind: 'consent-record', status: 'completed', decision: 'rejected' });
    expect(result.consentAction).toMatchObject({ action: 'recording', carriedOut: false, code: 'CONSENT_RECORDING_REFUSED' });
    expect(result.consentAction.consentId).toBeUndefined();
    expect(Object.keys(result.consentAction.messages).sort()).toEqual(['en', 'ru', 'tg']);
    expect(await consents('PN-CR-1')).toHaveLength(1);
    const refused = await audited('consent.recording-refused', 'PN-CR-1');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor_type: 'device', target_id: res.body.submissionId, outcome: 'denied' });
    // The selfie never joins the gallery.
    expect(await db().query('SELECT 1 FROM reference_templates WHERE submission_id = $1', [res.body.submissionId])).toHaveLength(0);
  }, 180_000);

  it("the pensioner's own selfie records the consent, keeping the text's hash and the selfie's decision, score, submission and timer", async () => {
    const res = await requestConsent(person(3));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const result = await stack.client.waitForSubmission(res.body.submissionId, 120_000);
    expect(result, JSON.stringify(result.reasons)).toMatchObject({ kind: 'consent-record', decision: 'verified' });
    expect(result.consentAction).toMatchObject({ action: 'recording', carriedOut: true, code: 'CONSENT_RECORDED' });
    const all = await consents('PN-CR-1');
    expect(all).toHaveLength(2);
    const added = all.find((c: { id: string }) => c.id === result.consentAction.consentId);
    expect(added).toMatchObject({
      status: 'active', language: 'ru', channel: 'mobile-app-signature',
      confirmation: { method: 'selfie', submissionId: res.body.submissionId, decision: 'verified' },
    });
    expect(added.confirmation.score).toBeCloseTo(result.match.similarity, 6);
    expect(added.recordedBy).toMatch(/^device:/);
    expect(added.textSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(added.confirmationSelfie.deleteAt)).toBeGreaterThan(Date.now());
    const [recorded] = await audited('consent.recorded', 'PN-CR-1').then((rows) => rows.filter((r) => r.target_id === added.id));
    expect(recorded).toMatchObject({ actor_type: 'device', details: { confirmedBy: 'selfie', submissionId: res.body.submissionId } });
  }, 180_000);

  it('at the office the operator records a consent without a selfie, and must record the identity check; a phone cannot claim one', async () => {
    expect((await stack.office.json('POST', '/v1/subjects', { subjectId: 'PN-CR-3', passport: PASSPORT })).status).toBe(201);
    const missing = await stack.office.json('POST', '/v1/subjects/PN-CR-3/consents', consentBody({ channel: 'paper-scan', witness: 'operator Karimova' }));
    expect([missing.status, missing.body.error.code]).toEqual([400, 'IDENTITY_CHECK_REQUIRED']);
    const done = await stack.office.json('POST', '/v1/subjects/PN-CR-3/consents',
      consentBody({ channel: 'paper-scan', witness: 'operator Karimova', identityCheck: 'passport-seen' }));
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: 'active', confirmation: { method: 'identity-check', identityCheck: 'passport-seen' } });
    // The operator's identity check confirms it at once.
    expect(await consentState('PN-CR-3')).toBe('active');
    const [row] = await audited('consent.recorded', 'PN-CR-3');
    expect(row!.details).toMatchObject({ confirmedBy: 'identity-check', identityCheck: 'passport-seen' });
    const claimed = await stack.client.json('POST', '/v1/subjects/PN-CR-2/consents', consentBody({ identityCheck: 'passport-seen' }));
    expect([claimed.status, claimed.body.error.code]).toEqual([400, 'IDENTITY_CHECK_STAFF_ONLY']);
  });
});
