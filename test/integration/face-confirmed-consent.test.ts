import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfDatasets, identityImages } from '../support/datasets.js';
import { makePassportPage } from '../support/passport-page.js';
import { consentBody, createConsentingSubject, PASSPORT, startStack, type Stack } from '../support/stack.js';

// Face-confirmed consent actions (issue #17 item 4, docs/SECURITY.md): a phone withdraws consent with a selfie taken
// then, which the real worker matches with the pensioner's references; at the office the operator records the identity check.
describeIfDatasets('face-confirmed consent withdrawal', () => {
  let stack: Stack;
  let consentId: string;
  const person = (n: number) => readFileSync(identityImages('deepface_id01')[n - 1]!);
  const stranger = (n: number) => readFileSync(identityImages('facerec_obama')[n - 1]!);

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    consentId = (await createConsentingSubject(stack.client, 'PN-FC-1')).id;
    const page = await makePassportPage({ facePhoto: identityImages('deepface_id01')[1]! });
    const enrol = await stack.client.multipart('/v1/subjects/PN-FC-1/enrollments', { selfie: person(1), document: page });
    expect(enrol.status, JSON.stringify(enrol.body)).toBe(202);
    expect(await stack.client.waitForSubmission(enrol.body.submissionId, 120_000)).toMatchObject({ decision: 'verified' });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const requestWithdrawal = async (selfie: Buffer) => {
    const res = await stack.client.multipart(`/v1/subjects/PN-FC-1/consents/${consentId}/withdrawal-requests`, { selfie }, { reason: 'I no longer agree' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return { id: res.body.submissionId as string, result: await stack.client.waitForSubmission(res.body.submissionId, 120_000) };
  };
  const consent = async () => (await stack.client.json('GET', '/v1/subjects/PN-FC-1/consents')).body.consents[0];
  const liveBiometrics = () => stack.service.platform.db.query(
    `SELECT 1 FROM stored_items i JOIN subjects s ON s.id = i.subject_id
      WHERE s.external_ref = 'PN-FC-1' AND i.item_class <> 'result' AND i.deleted_at IS NULL`);

  it('the phone cannot withdraw without a selfie: the JSON route tells it to send one, in its languages', async () => {
    const res = await stack.client.json('POST', `/v1/subjects/PN-FC-1/consents/${consentId}/withdraw`, { identityCheck: 'passport-seen' });
    expect([res.status, res.body.error.code]).toEqual([400, 'WITHDRAWAL_SELFIE_REQUIRED']);
    expect(Object.keys(res.body.error.details.messages).sort()).toEqual(['en', 'ru', 'tg']);
    expect((await consent()).status).toBe('active');
  });

  it("a stranger's selfie does not withdraw: the consent stays, the references stay, the refusal is audited", async () => {
    const { id, result } = await requestWithdrawal(stranger(1));
    expect(result).toMatchObject({ kind: 'consent-withdrawal', status: 'completed', decision: 'rejected' });
    expect(result.consentAction).toMatchObject({ action: 'withdrawal', carriedOut: false, code: 'CONSENT_WITHDRAWAL_REFUSED' });
    expect(Object.keys(result.consentAction.messages).sort()).toEqual(['en', 'ru', 'tg']);
    expect(await consent()).toMatchObject({ id: consentId, status: 'active', withdrawnAt: null, withdrawalConfirmation: null });
    const refused = await stack.service.platform.db.query<{ actor_type: string; actor_id: string; target_id: string; details: { submissionId: string } }>(
      `SELECT actor_type, actor_id, target_id, details FROM audit_log WHERE action = 'consent.withdrawal-refused'`);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor_type: 'device', target_id: consentId, details: { submissionId: id } });
    const templates = await stack.service.platform.db.query<{ status: string }>(
      `SELECT t.status FROM reference_templates t JOIN subjects s ON s.id = t.subject_id WHERE s.external_ref = 'PN-FC-1'`);
    expect(templates.length).toBeGreaterThan(0);
    expect(templates.every((t) => t.status === 'active')).toBe(true);
    // A failed attempt like a failed proof of life (the phone's and the subject's counts); the selfie never joins the gallery.
    expect(await stack.service.platform.db.query('SELECT 1 FROM verification_failures WHERE submission_id = $1', [id])).toHaveLength(1);
    expect(await stack.service.platform.db.query('SELECT 1 FROM reference_templates WHERE submission_id = $1', [id])).toHaveLength(0);
  }, 180_000);

  it("the pensioner's own selfie withdraws: the consent keeps the selfie's decision, score and submission, biometrics are purged within seconds", async () => {
    const { id, result } = await requestWithdrawal(person(3));
    expect(result, JSON.stringify(result.reasons)).toMatchObject({ kind: 'consent-withdrawal', decision: 'verified' });
    expect(result.consentAction).toMatchObject({ carriedOut: true, code: 'CONSENT_WITHDRAWAL_CARRIED_OUT' });
    const withdrawn = await consent();
    expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawalReason: 'I no longer agree' });
    expect(withdrawn.withdrawalConfirmation).toMatchObject({ method: 'selfie', submissionId: id, decision: 'verified' });
    expect(withdrawn.withdrawalConfirmation.score).toBeCloseTo(result.match.similarity, 6);
    expect(withdrawn.withdrawnBy).toMatch(/^device:/);
    const started = Date.now();
    let live = await liveBiometrics();
    while (live.length && Date.now() - started < 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      live = await liveBiometrics();
    }
    expect(live).toEqual([]);
    const again = await stack.client.multipart(`/v1/subjects/PN-FC-1/consents/${consentId}/withdrawal-requests`, { selfie: person(3) });
    expect(again.status).toBe(409);
  }, 180_000);

  it('at the office the operator withdraws without a selfie, and must record the identity check', async () => {
    expect((await stack.office.json('POST', '/v1/subjects', { subjectId: 'PN-FC-2', passport: PASSPORT })).status).toBe(201);
    const recorded = await stack.office.json('POST', '/v1/subjects/PN-FC-2/consents', consentBody({ channel: 'paper-scan', witness: 'operator Karimova', identityCheck: 'passport-seen' }));
    expect(recorded.status).toBe(201);
    const path = `/v1/subjects/PN-FC-2/consents/${recorded.body.id}/withdraw`;
    const missing = await stack.office.json('POST', path, { reason: 'came to the office' });
    expect([missing.status, missing.body.error.code]).toEqual([400, 'IDENTITY_CHECK_REQUIRED']);
    const done = await stack.office.json('POST', path, { reason: 'came to the office', identityCheck: 'passport-seen' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'withdrawn', withdrawalConfirmation: { method: 'identity-check', identityCheck: 'passport-seen' } });
    const [row] = await stack.service.platform.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_log WHERE action = 'consent.withdrawn' AND target_id = $1`, [recorded.body.id]);
    expect(row!.details).toMatchObject({ confirmedBy: 'identity-check', identityCheck: 'passport-seen' });
  });
});
