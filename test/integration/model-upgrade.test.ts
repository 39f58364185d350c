import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/bootstrap/roles.js';
import { modelUpgradeCore } from '../../src/bootstrap/service.js';
import type { ReExtractResult } from '../../src/domain/model-upgrade/template-re-extractor.js';
import { createEngine, engineVersion } from '../../src/engine/create-engine.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import { createModelUpgradeModule, type ModelUpgradeModule } from '../../src/bootstrap/modules/model-upgrade.module.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Enrolled with the default pipeline (Human + face-api's recognition net, 5-point chip); upgraded to face-api's own
// pipeline (SSD + 68 landmarks). Real PostgreSQL, Redis, models and sample faces. One subject's images were deleted
// by retention: marked for re-enrolment. A worker is killed mid batch and another finishes it; nobody twice.
const TARGET = 'faceapi-frnet-128';
const OLD = 'human-faceapi-frnet-5pt';
// PN-804's passport page: face-api's detector finds no portrait on it, so only the selfie carries over.
const PEOPLE = { 'PN-801': 'sample1-face1', 'PN-803': 'sample6-face2', 'PN-804': 'sample5-face5' } as const;
const PURGED = 'PN-803';
const face = (name: string) => readFileSync(`samples/faces/${name}.jpg`);

let stack: Stack;
let faceApi: FaceEngine;
let upgrade: ModelUpgradeModule;
const running: { close(): Promise<void> }[] = [];

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const operator = () => stack.client.withKey(stack.keys.operator);
const sql = <T>(text: string, params: unknown[] = []) => stack.service.platform.db.query<T>(text, params);
const subjectId = async (ref: string) => (await sql<{ id: string }>('SELECT id FROM subjects WHERE external_ref = $1', [ref]))[0]!.id;
const templates = (ref: string) => sql<{ id: string; model: string; status: string; submission_id: string; source: string }>(
  `SELECT t.id, t.model, t.status, t.submission_id, t.source FROM reference_templates t JOIN subjects s ON s.id = t.subject_id
    WHERE s.external_ref = $1 ORDER BY t.model, t.source`, [ref]);
const auditCount = async (action: string) =>
  (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND actor_id = 'model-upgrade'`, [action]))[0]!.n;
const batch = async (id: string) => (await operator().json('GET', `/v1/model-upgrades/${id}`)).body;

/** The shared face-api engine, so the replacement worker does not load the models again. */
const engines = () => ({ versionOf: engineVersion as (m: string) => string, engineFor: async () => faceApi });

beforeAll(async () => {
  stack = await startStack({ worker: true });
  for (const [ref, sample] of Object.entries(PEOPLE)) {
    await createConsentingSubject(stack.client, ref);
    const res = await stack.client.multipart(`/v1/subjects/${ref}/enrollments`, {
      selfie: face(sample), document: await makeSyntheticPassportPage(`samples/faces/${sample}.jpg`),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const result = await stack.client.waitForSubmission(res.body.submissionId);
    expect(result.decision, `${ref}: ${JSON.stringify(result.reasons)}`).toBe('verified');
  }
  // From here on only the workers this file starts run model upgrade jobs (with small pages and a short lock).
  await stack.worker!.close(false);
  // Retention deleted one subject's enrolment images (their term was due): the real purge path.
  await sql(`UPDATE stored_items SET delete_at = now() - interval '1 minute'
              WHERE subject_id = $1 AND item_class IN ('selfie_image','document_image')`, [await subjectId(PURGED)]);
  expect((await stack.service.retention.purge.sweep()).purged).toBe(2);
  faceApi = await createEngine({ backend: 'wasm', detector: 'ssd', model: TARGET });
  upgrade = createModelUpgradeModule(modelUpgradeCore(stack.service), { settings: { pageSize: 2, maxQueued: 2, jobLockMs: 4000, tickMs: 3_600_000 } });
});

afterAll(async () => {
  for (const w of running) await w.close().catch(() => undefined);
  await upgrade?.close();
  await faceApi?.dispose();
  await stack?.stop();
});

describe('a model upgrade batch', () => {
  let batchId: string;
  const seenByReplacement: ReExtractResult['status'][] = [];

  it('is started by an operator only, one at a time', async () => {
    expect((await stack.client.json('POST', '/v1/model-upgrades', { targetModel: TARGET })).status).toBe(403);
    expect((await stack.client.withKey(stack.keys.auditor).json('POST', '/v1/model-upgrades', { targetModel: TARGET })).status).toBe(403);
    expect((await operator().json('POST', '/v1/model-upgrades', { targetModel: 'no-such-model' })).status).toBe(400);

    // The first worker records one subject and dies with its job still active.
    let killed: Promise<void> | null = null;
    const first = await upgrade.startWorkers({
      engines: engines(),
      onSubject: (_b, _s, result) => {
        if (result.status !== 'recorded' || killed) return;
        killed = first.kill();
        return new Promise<void>(() => undefined); // the process is gone: this job never completes
      },
    });
    const started = await operator().json('POST', '/v1/model-upgrades', { targetModel: TARGET });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ targetModel: TARGET, targetVersion: engineVersion(TARGET), state: 'running', supersededGraceDays: 30 });
    batchId = started.body.id;
    const again = await operator().json('POST', '/v1/model-upgrades', { targetModel: TARGET });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'MODEL_UPGRADE_OPEN', details: { batchId } });

    await until('the first worker to die', async () => killed, (k) => k !== null);
    await killed;
    const stopped = await batch(batchId);
    expect(stopped.state).toBe('running');
    expect(stopped.done).toBe(1);
  });

  it('is finished by a new worker, which resumes where the killed one stopped', async () => {
    const second = await upgrade.startWorkers({ engines: engines(), onSubject: (_b, _s, r) => void seenByReplacement.push(r.status) });
    running.push(second);
    const done = await until('the batch to complete', () => batch(batchId), (b) => b.state === 'completed');
    expect(done).toMatchObject({
      fanOutDone: true, totalKnown: true, percentDone: 100, pending: 0,
      counts: { queued: 3, reExtracted: 2, markedForReenrolment: 1, failed: 0, skipped: 0 },
    });
    // The killed worker's job is taken over once its lock lapses, and finds its subject done.
    await until('the orphaned job to be taken over', async () => seenByReplacement, (s) => s.includes('already-done'), 20_000);
    expect(seenByReplacement.filter((s) => s === 'recorded')).toHaveLength(2);
  });

  it('re-extracted two subjects with the new model and superseded the references it replaced', async () => {
    for (const ref of ['PN-801', 'PN-804']) {
      const rows = await templates(ref);
      const kept = ref === 'PN-804' ? [`${OLD}:document:active`] : [`${TARGET}:document:active`, `${OLD}:document:superseded`];
      expect(rows.map((t) => `${t.model}:${t.source}:${t.status}`).sort(), ref).toEqual([...kept, `${TARGET}:selfie:active`, `${OLD}:selfie:superseded`].sort());
      const items = await sql<{ policy: string; delete_at: Date | null; delete_condition: string | null; status: string }>(
        `SELECT i.policy, i.delete_at, i.delete_condition, t.status FROM stored_items i JOIN reference_templates t ON t.id = i.template_id
          WHERE t.subject_id = $1`, [await subjectId(ref)]);
      // The new references keep the old ones' retention; the replaced embeddings go after the grace period.
      for (const item of items.filter((i) => i.status === 'active')) {
        expect([item.policy, item.delete_at, item.delete_condition]).toEqual(['template-until-consent-withdrawn', null, 'consent_withdrawn_or_subject_closed']);
      }
      for (const old of items.filter((i) => i.status === 'superseded')) {
        expect(old.policy).toBe('template-superseded');
        expect((old.delete_at!.getTime() - Date.now()) / 86_400_000).toBeCloseTo(30, 0);
      }
    }
    const partial = await operator().json('GET', `/v1/model-upgrades/${batchId}/subjects?state=re_extracted`);
    expect(partial.body.subjects.find((s: { subjectId: string }) => s.subjectId === 'PN-804'))
      .toMatchObject({ reason: 'DOCUMENT_PORTRAIT_NOT_FOUND', templates: 1 });
    expect(await auditCount('template.re-extracted')).toBe(3);
    expect(await auditCount('image.read')).toBe(4);
    expect(await auditCount('model-upgrade.completed')).toBe(1);
  });

  it('marked the subject whose images retention had deleted for re-enrolment, and kept their references', async () => {
    const marked = await operator().json('GET', `/v1/model-upgrades/${batchId}/subjects?state=marked_for_reenrolment`);
    expect(marked.body.subjects).toEqual([expect.objectContaining({ subjectId: PURGED, state: 'marked_for_reenrolment', reason: 'REFERENCE_IMAGES_DELETED', templates: 0 })]);
    expect((await templates(PURGED)).map((t) => `${t.model}:${t.status}`)).toEqual([`${OLD}:active`, `${OLD}:active`]);
    const [row] = await sql<{ reenrolment_required_at: Date | null; reenrolment_reason: string | null }>(
      'SELECT reenrolment_required_at, reenrolment_reason FROM subjects WHERE external_ref = $1', [PURGED]);
    expect(row!.reenrolment_required_at).not.toBeNull();
    expect(row!.reenrolment_reason).toBe('REFERENCE_IMAGES_DELETED');
    // The app reads it from the subject: ask this pensioner to enrol again.
    const view = await stack.client.json('GET', `/v1/subjects/${PURGED}`);
    expect(view.body.reenrolment).toMatchObject({ reason: 'REFERENCE_IMAGES_DELETED', requiredAt: row!.reenrolment_required_at!.toISOString() });
    expect((await stack.client.json('GET', '/v1/subjects/PN-801')).body.reenrolment).toBeNull();
    expect(await auditCount('subject.reenrolment-required')).toBe(1);
  });

  it('processes nobody twice: the same subject again, and a second batch to the same model', async () => {
    const second = running[0] as unknown as { reExtractor: { reExtract(b: string, s: string): Promise<ReExtractResult> } };
    expect(await second.reExtractor.reExtract(batchId, await subjectId('PN-801'))).toEqual({ status: 'already-done' });
    const rerun = await operator().json('POST', '/v1/model-upgrades', { targetModel: TARGET });
    expect(rerun.status).toBe(201);
    const finished = await until('the re-run to complete', () => batch(rerun.body.id), (b) => b.state === 'completed');
    expect(finished.counts).toEqual({ queued: 0, reExtracted: 0, markedForReenrolment: 0, failed: 0, skipped: 0 });
    const all = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM reference_templates WHERE model = $1`, [TARGET]);
    expect(all[0]!.n).toBe(3);
    expect(await auditCount('template.re-extracted')).toBe(3);
  });

  it('until the workers switch, the old model still verifies an upgraded subject on its references held for the grace period', async () => {
    for (const w of running.splice(0)) await w.close();
    const old = await startWorker(stack.service, stack.worker!.engine);
    try {
      const selfie = await sharp(face(PEOPLE['PN-801'])).flop().resize(360).jpeg({ quality: 80 }).toBuffer();
      const res = await stack.client.multipart('/v1/subjects/PN-801/verifications', { selfie });
      const result = await stack.client.waitForSubmission(res.body.submissionId);
      expect(result.match.model.name).toBe(`human/${OLD}`);
      expect(result.reasons).toContain('FACE_MATCH');
    } finally {
      await old.close(false);
    }
  });

  it('lets the upgraded subjects prove life with the new model; the marked one re-enrols', async () => {
    for (const w of running.splice(0)) await w.close();
    const worker = await startWorker(stack.service, faceApi);
    running.push({ close: () => worker.close(false) });
    // A mirrored selfie: the same face, not the same picture (the replay check would flag a copy).
    const retaken = await sharp(face(PEOPLE['PN-801'])).flop().jpeg({ quality: 85 }).toBuffer();
    const verified = await stack.client.waitForSubmission((await stack.client.multipart('/v1/subjects/PN-801/verifications', { selfie: retaken })).body.submissionId);
    // Compared with the re-extracted references only, under the new model's thresholds.
    expect(verified, JSON.stringify(verified.reasons)).toMatchObject({ status: 'completed', reasons: expect.arrayContaining(['FACE_MATCH']) });
    expect(verified.match.model.name).toBe(`face-api/${TARGET}`);
    expect(verified.match.similarity).toBeGreaterThan(verified.match.threshold.verifyMinSimilarity);
    expect(verified.match.comparedWith.map((c: { source: string }) => c.source).sort()).toEqual(['document', 'enrollment']);

    const refused = await stack.client.waitForSubmission((await stack.client.multipart(`/v1/subjects/${PURGED}/verifications`, { selfie: face(PEOPLE[PURGED]) })).body.submissionId);
    expect(refused).toMatchObject({ status: 'failed', reasons: ['NO_ACTIVE_REFERENCE'] });

    const mirrored = await sharp(face(PEOPLE[PURGED])).flop().jpeg({ quality: 85 }).toBuffer();
    const enrolled = await stack.client.waitForSubmission((await stack.client.multipart(`/v1/subjects/${PURGED}/enrollments`, {
      selfie: mirrored, document: await makeSyntheticPassportPage(`samples/faces/${PEOPLE[PURGED]}.jpg`),
    })).body.submissionId);
    expect(enrolled.decision, JSON.stringify(enrolled.reasons)).toBe('verified');
    expect((await stack.client.json('GET', `/v1/subjects/${PURGED}`)).body.reenrolment).toBeNull();
  });
});
