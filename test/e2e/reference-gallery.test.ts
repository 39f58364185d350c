import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyseSelfie } from '../../src/domain/verification/face-analysis.js';
import { cropRgb, decodeRgb, normalizeUpload } from '../../src/images/image-codec.js';
import { newId } from '../../src/shared/ids.js';
import { describeIfDatasets, identityImages } from '../support/datasets.js';
import { makePassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// The reference gallery over HTTP with the worker, the real models, the real PostgreSQL and Redis, and real people
// from ../shared/datasets/identities: proofs of life with other photos of the enrolled person join the gallery;
// impostors never do, not even one that slipped in once; withdrawal leaves no reference.
describeIfDatasets('reference gallery, end to end (needs ../shared/datasets)', () => {
  let stack: Stack;
  let consentId: string;
  const person = (n: number) => readFileSync(identityImages('deepface_id01')[n - 1]!);
  const impostor = (n: number) => readFileSync(identityImages('facerec_obama')[n - 1]!);
  const joined: string[] = [];

  beforeAll(async () => {
    // Two proof-of-life references beside the anchors, so that the third one retires the first.
    stack = await startStack({ worker: true, env: { GALLERY_MAX_RECENT: '2' } });
    consentId = (await createConsentingSubject(stack.client, 'PN-GAL-1')).id;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function submit(path: string, files: Record<string, Buffer>) {
    const res = await stack.client.multipart(path, files);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return stack.client.waitForSubmission(res.body.submissionId, 120_000);
  }
  const verify = (selfie: Buffer) => submit('/v1/subjects/PN-GAL-1/verifications', { selfie });

  async function templatesOf(submissionId: string) {
    return stack.service.platform.db.query<{ id: string; status: string; has_embedding: boolean }>(
      'SELECT id, status, embedding_enc IS NOT NULL AS has_embedding FROM reference_templates WHERE submission_id = $1', [submissionId],
    );
  }
  // A selfie sent to review waits there, pending, for a reviewer to approve it as a reference: not in the gallery.
  const joinedOf = async (submissionId: string) => (await templatesOf(submissionId)).filter((t) => t.status === 'active');
  const sources = (result: { match: { comparedWith: { source: string }[] } }) => result.match.comparedWith.map((c) => c.source).sort();

  it('enrols with a selfie and a passport page carrying another photo of the person: the two anchors', async () => {
    const page = await makePassportPage({ facePhoto: identityImages('deepface_id01')[1]! });
    const result = await submit('/v1/subjects/PN-GAL-1/enrollments', { selfie: person(1), document: page });
    expect(result).toMatchObject({ status: 'completed', decision: 'verified' });
  });

  it('a first proof of life is compared with the anchors and, verified, joins the gallery', async () => {
    const result = await verify(person(3));
    expect(result, JSON.stringify(result.reasons)).toMatchObject({ status: 'completed', decision: 'verified' });
    expect(sources(result)).toEqual(['document', 'enrollment']);
    expect(result.match.fusion).toMatchObject({ gallerySize: 2 });
    expect(result.match.distance).toBe(result.match.fusion.fusedDistance);
    expect(await templatesOf(result.id)).toMatchObject([{ status: 'active', has_embedding: true }]);
    joined.push(result.id);
  });

  it("an impostor's proof of life is not verified and never joins", async () => {
    const result = await verify(impostor(1));
    expect(result.status).toBe('completed');
    expect(result.decision).not.toBe('verified');
    expect(await joinedOf(result.id)).toEqual([]);
  });

  it('the third proof of life is compared with the anchors and the two verified selfies', async () => {
    const second = await verify(person(4));
    expect(second, JSON.stringify(second.reasons)).toMatchObject({ decision: 'verified' });
    expect(sources(second)).toEqual(['document', 'enrollment', 'verification']);
    joined.push(second.id);

    const third = await verify(person(5));
    expect(third, JSON.stringify(third.reasons)).toMatchObject({ decision: 'verified' });
    expect(third.match.comparedWith.length).toBeGreaterThanOrEqual(3);
    expect(sources(third)).toEqual(['document', 'enrollment', 'verification', 'verification']);
    expect(third.match.fusion).toMatchObject({ gallerySize: 4 });
    const references = third.match.comparedWith.filter((c: { source: string }) => c.source === 'verification');
    expect(references.every((c: { ageDays: number; enrolledAt: string }) => c.ageDays === 0 && Date.parse(c.enrolledAt) > 0)).toBe(true);
    joined.push(third.id);
  });

  it('with two proof-of-life references kept, the oldest one retires when the third joins (embedding deleted, audited)', async () => {
    expect(await templatesOf(joined[0]!)).toMatchObject([{ status: 'retired', has_embedding: false }]);
    expect(await templatesOf(joined[1]!)).toMatchObject([{ status: 'active', has_embedding: true }]);
    expect(await templatesOf(joined[2]!)).toMatchObject([{ status: 'active', has_embedding: true }]);
    const [retired] = await templatesOf(joined[0]!);
    const audit = await stack.service.platform.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_id = $1 AND action IN ('template.joined-gallery','template.retired') ORDER BY seq", [retired!.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['template.joined-gallery', 'template.retired']);
  });

  it('poisoning guard: an impostor reference that once slipped in does not let the impostor add another', async () => {
    // As if an impostor had once been verified: their selfie planted as a proof-of-life reference.
    const { db, vault } = stack.service.platform;
    const planted = await verify(impostor(2));
    expect(await joinedOf(planted.id)).toEqual([]);
    const engine = stack.worker!.engine;
    const { jpeg } = await normalizeUpload(impostor(2), 'selfie', { maxPixels: 40_000_000, maxSide: 2000 });
    const face = (await analyseSelfie(engine, { decodeRgb, cropRgb }, jpeg, { minFacePx: 80, rivalAreaRatio: 0.35 })).face!;
    const [{ subject_id: subjectId }] = await db.query<{ subject_id: string }>('SELECT subject_id FROM submissions WHERE id = $1', [planted.id]) as [{ subject_id: string }];
    const id = newId();
    await db.query(
      `INSERT INTO reference_templates (id, subject_id, submission_id, source, model, model_version, status, embedding_enc, face_score, created_at)
       VALUES ($1, $2, $3, 'selfie', $4, $5, 'active', $6, $7, now())`,
      [id, subjectId, planted.id, engine.info.model, engine.info.version, await vault.sealEmbedding(subjectId, id, face.embedding), face.score],
    );

    const again = await verify(impostor(3));
    // The impostor now resembles one reference of the gallery, but not the anchors: whatever the gallery decided,
    // the selfie does not join.
    expect(again.match.comparedWith.map((c: { templateId: string }) => c.templateId)).toContain(id);
    expect(await joinedOf(again.id)).toEqual([]);
    await db.query("UPDATE reference_templates SET status = 'withdrawn', embedding_enc = NULL, deleted_at = now() WHERE id = $1", [id]);
  });

  it('a campaign cohort selects subjects by the age of their newest reference (template ageing)', async () => {
    const preview = async (at: number) => (await stack.office.json('POST', '/v1/campaigns/cohort-preview', {
      cohort: { newestReferenceBefore: new Date(at).toISOString() },
    })).body;
    expect(await preview(Date.now() + 86_400_000)).toEqual({ size: 1 });
    // The proofs of life above renewed the gallery: nothing of this subject is older than an hour.
    expect(await preview(Date.now() - 3_600_000)).toEqual({ size: 0 });
    // The access report lists every reference with its source and date, the retired one included.
    const report = (await stack.office.json('GET', '/v1/subjects/PN-GAL-1/access-report')).body;
    const references = report.categories.find((c: { category: string }) => c.category === 'templates').items;
    expect(references.map((r: { source: string; status: string }) => `${r.source}:${r.status}`).sort()).toEqual([
      'document:active', 'enrollment:active', 'verification:active', 'verification:active', 'verification:retired', 'verification:withdrawn',
    ]);
    expect(references.every((r: { createdAt: string }) => Date.parse(r.createdAt) > 0)).toBe(true);
    const subject = (await stack.office.json('GET', '/v1/subjects/PN-GAL-1')).body;
    expect(subject.references.aged).toBe(false);
    expect(Date.now() - Date.parse(subject.references.newestAt)).toBeLessThan(3_600_000);
  });

  it('withdrawal leaves no reference: every template out of use and its embedding deleted', async () => {
    const withdrawn = await stack.office.json('POST', `/v1/subjects/PN-GAL-1/consents/${consentId}/withdraw`,
      { reason: 'I will come to the office', identityCheck: 'passport-seen' });
    expect(withdrawn.status).toBe(200);
    await stack.service.retention.purge.sweep();
    const left = await stack.service.platform.db.query<{ status: string; has_embedding: boolean }>(
      `SELECT t.status, t.embedding_enc IS NOT NULL AS has_embedding FROM reference_templates t
         JOIN subjects s ON s.id = t.subject_id WHERE s.external_ref = 'PN-GAL-1'`,
    );
    expect(left.length).toBeGreaterThanOrEqual(5);
    expect(left.filter((t) => t.has_embedding || t.status === 'active')).toEqual([]);
  });
});
