import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/storage/crypto/key-ring.js';
import { loadMasterKey } from '../../src/storage/crypto/master-key.js';
import { createRepositories } from '../../src/storage/repositories/index.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { consentBody, createConsentingSubject, linkPhone, PASSPORT, startStack, type Stack } from '../support/stack.js';

// The Law on Personal Data of the Republic of Tajikistan (2018), article by article, against the real
// PostgreSQL, Redis, blob store and models.
let stack: Stack;
const selfie = readFileSync('samples/faces/sample1-face1.jpg');
let page: Buffer;
// Each subject enrols with a person of their own: one passport page shown for two subjects is flagged as reuse.
const people = ['sample1-face1', 'sample3-face2', 'sample5-face5', 'sample6-face3'];
let enrolled = 0;

async function enrol(ref: string) {
  const person = people[enrolled++ % people.length]!;
  const photo = `samples/faces/${person}.jpg`;
  const res = await stack.client.multipart(`/v1/subjects/${ref}/enrollments`, {
    selfie: readFileSync(photo), document: enrolled === 1 ? page : await makeSyntheticPassportPage(photo),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return stack.client.waitForSubmission(res.body.submissionId);
}

async function auditRows(where = 'TRUE', params: unknown[] = []) {
  return stack.service.platform.db.query<{ seq: number; action: string; actor_id: string | null; details: Record<string, unknown>; target_id: string | null }>(
    `SELECT seq, action, actor_id, details, target_id FROM audit_log WHERE ${where} ORDER BY seq`, params);
}

const subjectUuid = async (ref: string) =>
  (await stack.service.platform.db.query<{ id: string }>('SELECT id FROM subjects WHERE external_ref = $1', [ref]))[0]!.id;

beforeAll(async () => {
  stack = await startStack({ worker: true, env: { UNUSUAL_ACCESS_MAX_VIEWS: '1' } });
  page = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
});
afterAll(async () => {
  await stack?.stop();
});

describe('Art. 17: biometric data only with written consent', () => {
  it('refuses enrolment without consent (CONSENT_REQUIRED) and stores nothing', async () => {
    await stack.office.json('POST', '/v1/subjects', { subjectId: 'PN-A17', passport: PASSPORT });
    await linkPhone(stack.client, 'PN-A17');
    const res = await stack.client.multipart('/v1/subjects/PN-A17/enrollments', { selfie, document: page });
    expect([res.status, res.body.error.code]).toEqual([409, 'CONSENT_REQUIRED']);
    expect(await stack.service.platform.db.query('SELECT 1 FROM stored_items WHERE subject_id = $1', [await subjectUuid('PN-A17')])).toHaveLength(0);
  });

  it('keeps the evidence: text version and its hash, channel, signature hash, device, IP and time', async () => {
    const recorded = await stack.client.json('POST', '/v1/subjects/PN-A17/consents', consentBody());
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      textVersion: '2026-11-v1', language: 'tg', channel: 'mobile-app-signature', deviceId: 'test-device-1', status: 'active',
      scope: { biometricProcessing: true, referenceTemplate: true },
    });
    expect(recorded.body.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await stack.service.platform.db.query<{ ip: string; content_sha256: string }>(
      'SELECT c.ip, t.content_sha256 FROM consents c JOIN consent_texts t ON t.id = c.text_id WHERE c.id = $1', [recorded.body.id]);
    expect(row!.ip).toMatch(/127\.0\.0\.1/);
    expect(row!.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await enrol('PN-A17')).decision).toBe('verified');
  });

  it('offers the consent text in Tajik, Russian and English, and a shown text cannot be changed', async () => {
    const texts = await stack.client.json('GET', '/v1/consent-texts');
    expect(texts.body.texts.map((t: { language: string }) => t.language)).toEqual(['en', 'ru', 'tg']);
    await expect(stack.service.platform.db.query(`UPDATE consent_texts SET body = 'changed'`)).rejects.toThrow(/append-only/);
  });

  it('refuses a paper consent without the witnessing operator', async () => {
    const res = await stack.client.json('POST', '/v1/subjects/PN-A17/consents', consentBody({ channel: 'paper-scan' }));
    expect([res.status, res.body.error.code]).toEqual([400, 'WITNESS_REQUIRED']);
  });
});

describe('Art. 8: one specific purpose, 1:1 only', () => {
  it('refuses consent for any other purpose', async () => {
    const res = await stack.client.json('POST', '/v1/subjects/PN-A17/consents', consentBody({ purpose: 'marketing' }));
    expect([res.status, res.body.error.code]).toEqual([400, 'PURPOSE_NOT_ALLOWED']);
  });

  it('offers no route that searches a face across subjects', async () => {
    const doc = await stack.client.json('GET', '/openapi.json');
    const paths = Object.keys(doc.body.paths);
    expect(paths.filter((p) => /search|identify|1:n|match$/i.test(p))).toEqual([]);
    expect(paths.filter((p) => p.includes('verifications'))).toEqual(['/v1/subjects/{subjectId}/verifications']);
  });
});

describe('Art. 11: consent can be withdrawn', () => {
  it('stops a job that waits in the queue: nothing processed, images due for deletion', async () => {
    const consent = await createConsentingSubject(stack.client, 'PN-A11');
    expect((await enrol('PN-A11')).decision).toBe('verified');
    await stack.worker!.worker.pause();
    const queued = await stack.client.multipart('/v1/subjects/PN-A11/verifications', { selfie });
    const withdrawn = await stack.office.json('POST', `/v1/subjects/PN-A11/consents/${consent.id}/withdraw`,
      { reason: 'I prefer to come to the office', identityCheck: 'passport-seen' });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawalReason: 'I prefer to come to the office' });
    stack.worker!.worker.resume();
    const result = await stack.client.waitForSubmission(queued.body.submissionId);
    expect(result).toMatchObject({ status: 'failed', reasons: ['CONSENT_WITHDRAWN'], match: null });
    for (const r of result.retention.filter((x: { item: string }) => x.item.endsWith('_image'))) {
      expect(Date.parse(r.deleteAt)).toBeLessThanOrEqual(Date.now());
    }
    const reads = await auditRows(`action = 'image.read' AND details->>'submissionId' = $1`, [queued.body.submissionId]);
    expect(reads).toHaveLength(0);
  });

  it('shows the withdrawal in the subject state, takes templates out of use and refuses new checks', async () => {
    expect((await stack.client.json('GET', '/v1/subjects/PN-A11')).body).toMatchObject({ consent: 'withdrawn' });
    const templates = await stack.service.platform.db.query<{ status: string }>('SELECT status FROM reference_templates WHERE subject_id = $1', [await subjectUuid('PN-A11')]);
    expect(templates.map((t) => t.status)).toEqual(['withdrawn', 'withdrawn']);
    const items = await stack.service.platform.db.query<{ delete_at: Date }>(
      `SELECT delete_at FROM stored_items WHERE subject_id = $1 AND item_class <> 'result' AND deleted_at IS NULL`, [await subjectUuid('PN-A11')]);
    for (const i of items) expect(i.delete_at.getTime()).toBeLessThanOrEqual(Date.now());
    const res = await stack.client.multipart('/v1/subjects/PN-A11/verifications', { selfie });
    expect(res.body.error.code).toBe('CONSENT_REQUIRED');
  });
});

describe('Art. 22: the subject may ask what is held, why, for how long and who saw it', () => {
  it('answers at once, in the subject\'s language, as JSON and as a printable page', async () => {
    await stack.client.withKey(stack.keys.reviewer).json('GET', `/v1/submissions/${(await latestSubmission('PN-A17'))}/images/selfie`);
    const report = await stack.client.json('GET', '/v1/subjects/PN-A17/access-report?format=json');
    expect(report.status).toBe(200);
    expect(report.body.language).toBe('tg');
    expect(report.body.categories.map((c: { category: string }) => c.category)).toEqual(['identity', 'images', 'frames', 'templates', 'results', 'consents']);
    for (const c of report.body.categories) expect(c.legalBasis).toBeTruthy();
    expect(report.body.categories[0].items[0].passportNumber).toBe(PASSPORT.number);
    expect(report.body.categories[1].items.every((i: { deleteAt: string }) => Date.parse(i.deleteAt) > Date.now())).toBe(true);
    const viewers = report.body.accessLog.map((a: { role: string | null; action: string }) => `${a.action}:${a.role}`);
    expect(viewers).toContain('image.read:null');
    expect(viewers).toContain('image.viewed:reviewer');
    expect(report.body.transfers).toEqual([]);
    const html = await fetch(`${stack.client.baseUrl}/v1/subjects/PN-A17/access-report?format=html&language=ru`, {
      headers: { authorization: `Bearer ${stack.client.deviceToken('PN-A17')}` },
    });
    const text = await html.text();
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(text).toContain('<html lang="ru">');
    expect(text).toContain('Какие данные о вас хранятся');
  });
});

describe('Art. 8(5), 15: corrections are recorded with who and why', () => {
  it('records the corrected fields, the reason and the operator, not the old values', async () => {
    const operator = stack.client.withKey(stack.keys.operator);
    const res = await operator.json('POST', '/v1/subjects/PN-A17/corrections', { passport: { surname: 'Rakhimov' }, reason: 'transliteration error at registration' });
    expect(res.body.correctedFields).toEqual(['surname']);
    const report = await stack.client.json('GET', '/v1/subjects/PN-A17/access-report');
    expect(report.body.corrections[0]).toMatchObject({ fields: ['surname'], reason: 'transliteration error at registration' });
  });
});

describe('Art. 20: destroyed when the relationship ends or a court says so', () => {
  it('leaves nothing biometric readable, not even a copy taken before', async () => {
    const ref = 'PN-A20';
    await createConsentingSubject(stack.client, ref);
    const enrolled = await enrol(ref);
    const id = await subjectUuid(ref);
    const [item] = await stack.service.platform.db.query<{ blob_key: string }>(`SELECT blob_key FROM stored_items WHERE submission_id = $1 AND role = 'selfie'`, [enrolled.id]);
    const root = path.join(stack.env.config.dataDir, 'blobs');
    const file = readdirSync(root, { recursive: true }).map(String).find((f) => f.endsWith(item!.blob_key))!;
    const copy = readFileSync(path.join(root, file));

    const erased = await stack.client.withKey(stack.keys.operator).json('POST', `/v1/subjects/${ref}/erasure`, { legalReason: 'court-decision', reference: 'Court of Dushanbe 2-123/2026' });
    expect(erased.body).toMatchObject({ status: 'erased', legalReason: 'court-decision' });

    const keyRing = new KeyRing(loadMasterKey(stack.env.config), createRepositories(stack.service.platform.db).subjectKeys, createRepositories(stack.service.platform.db).systemKeys);
    await expect(keyRing.openFor(id, copy, `image:${item!.blob_key}`)).rejects.toMatchObject({ code: 'SUBJECT_DATA_DESTROYED' });
    expect(readdirSync(root, { recursive: true }).map(String).some((f) => f.endsWith(item!.blob_key))).toBe(false);
    const [t] = await stack.service.platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reference_templates WHERE subject_id = $1 AND embedding_enc IS NOT NULL', [id]);
    expect(t!.n).toBe(0);
    const [s] = await stack.service.platform.db.query<{ passport_enc: Buffer | null; status: string }>('SELECT passport_enc, status FROM subjects WHERE id = $1', [id]);
    expect(s).toEqual({ passport_enc: null, status: 'erased' });
    const view = await stack.client.withKey(stack.keys.reviewer).json('GET', `/v1/submissions/${enrolled.id}/images/selfie`);
    expect(view.status).toBe(410);
    // The decision and the consent stay as evidence for the office, without biometrics; the phone's link is gone.
    const office = stack.client.withKey(stack.keys.operator);
    expect((await office.json('GET', `/v1/submissions/${enrolled.id}`)).body.decision).toBe('verified');
    expect((await office.json('GET', `/v1/subjects/${ref}/consents`)).body.consents[0].status).toBe('withdrawn');
    expect((await stack.client.json('GET', `/v1/subjects/${ref}`)).status).toBe(401);
  });
});

describe('Art. 25: prevent and detect unauthorised access', () => {
  it('audits refused requests of known callers, and counts those without a valid key per source and minute', async () => {
    await stack.client.withKey('znd_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').json('GET', '/v1/subjects/PN-A17');
    await stack.client.withKey(stack.keys.auditor).json('POST', '/v1/subjects/PN-A17/erasure', { legalReason: 'court-decision', reference: 'x' });
    await new Promise((r) => setTimeout(r, 200));
    const denied = await auditRows(`action = 'auth.denied'`);
    expect(denied.map((d) => d.details.status)).toContain(403);
    expect(denied.map((d) => d.details.status)).not.toContain(401);
    // Anyone can send a bad key: a row of the append-only trail each would let them grow it (test/integration/auth-failures.test.ts).
    const counted = await stack.service.platform.db.query<{ n: number }>('SELECT coalesce(sum(failures), 0)::int AS n FROM auth_failures');
    expect(counted[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('raises an alert when one person opens many different faces without deciding (the same face again does not count)', async () => {
    const reviewer = stack.client.withKey(stack.keys.reviewer);
    const submission = await latestSubmission('PN-A17');
    for (let i = 0; i < 5; i += 1) expect((await reviewer.json('GET', `/v1/submissions/${submission}/images/selfie`)).status).not.toBe(403);
    expect(await auditRows(`action = 'alert.unusual-access'`)).toHaveLength(0);
    expect((await reviewer.json('GET', `/v1/submissions/${submission}/images/document`)).status).toBe(200);
    const alerts = await auditRows(`action = 'alert.unusual-access'`);
    expect(alerts).toHaveLength(1);
    const metrics = await (await fetch(`${stack.client.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/zinda_unusual_access_alerts_total [1-9]/);
  });

  it('serves the trail to auditors only, and never writes personal data into it', async () => {
    const auditor = stack.client.withKey(stack.keys.auditor);
    const res = await auditor.json('GET', '/v1/audit?subjectId=PN-A17&limit=1000');
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['subject.created', 'consent.recorded', 'image.read', 'submission.decided', 'access-report.exported']));
    expect((await stack.client.withKey(stack.keys.reviewer).json('GET', '/v1/audit')).status).toBe(403);
    const all = JSON.stringify(await stack.service.platform.db.query('SELECT * FROM audit_log'));
    for (const secret of [PASSPORT.number, PASSPORT.surname, PASSPORT.givenNames, 'Rakhimov']) expect(all).not.toContain(secret);
  });

  it('proves the chain intact, and points at the first altered entry after tampering', async () => {
    const auditor = stack.client.withKey(stack.keys.auditor);
    expect((await auditor.json('GET', '/v1/audit/verify')).body).toMatchObject({ intact: true });
    const [victim] = await auditRows(`action = 'consent.recorded'`);
    const admin = new pg.Client({ connectionString: stack.env.databaseUrl });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await admin.query(`UPDATE audit_log SET details = '{"channel":"paper-scan"}' WHERE seq = $1`, [victim!.seq]);
      await admin.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    } finally {
      await admin.end();
    }
    expect((await auditor.json('GET', '/v1/audit/verify')).body).toMatchObject({ intact: false, brokenAtSeq: Number(victim!.seq) });
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'audit', 'verify'], {
      env: { ...process.env, DATABASE_URL: stack.env.databaseUrl, DATA_DIR: stack.env.config.dataDir }, encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`BROKEN at entry seq ${victim!.seq}`);
  });
});

async function latestSubmission(ref: string): Promise<string> {
  const [row] = await stack.service.platform.db.query<{ id: string }>(
    `SELECT s.id FROM submissions s JOIN subjects j ON j.id = s.subject_id WHERE j.external_ref = $1 AND s.status = 'completed' ORDER BY s.created_at DESC LIMIT 1`, [ref]);
  return row!.id;
}
