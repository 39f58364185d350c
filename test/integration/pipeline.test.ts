import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// API + worker + real models on the images we ship in samples/ (runs on any checkout).
let stack: Stack;
const face = (name: string) => readFileSync(`samples/faces/${name}.jpg`);
const alice = face('sample1-face1');
const bob = face('sample5-face3');

async function submit(pathname: string, files: Record<string, Buffer>) {
  const res = await stack.client.multipart(pathname, files);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return stack.client.waitForSubmission(res.body.submissionId);
}

beforeAll(async () => {
  // These cases send one phone's deliberately failing selfies in a row; the per-phone lockout has its own test
  // (mobile-attacks.test.ts), so here it stays out of the way.
  stack = await startStack({ worker: true, env: { DEVICE_MAX_FAILURES: '100' } });
  await createConsentingSubject(stack.client, 'PN-200');
});
afterAll(async () => {
  await stack?.stop();
});

describe('enrolment and verification with the real engine', () => {
  let enrolmentId: string;

  it('enrols a selfie against the portrait on a passport page and keeps two references', async () => {
    const page = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
    const result = await submit('/v1/subjects/PN-200/enrollments', { selfie: alice, document: page });
    enrolmentId = result.id;
    expect(result).toMatchObject({ status: 'completed', decision: 'verified', reasons: ['FACE_MATCH'] });
    expect(result.findings.map((f: { role: string; facesDetected: number }) => [f.role, f.facesDetected])).toEqual([['selfie', 1], ['document', 1]]);
    expect(result.match.similarity).toBeGreaterThan(result.match.threshold.verifyMinSimilarity);
    // Verified means closer than the 1-in-1000 impostor distance, said as a rate that reads alike across models.
    expect(result.match.estimatedFar.far).toBeLessThanOrEqual(1e-3);
    expect(result.match.model).toMatchObject({ name: 'human/human-faceapi-frnet-5pt', backend: 'wasm' });
    const items = result.retention.map((r: { item: string; role: string }) => `${r.item}:${r.role}`).sort();
    expect(items).toEqual(['document_image:document', 'reference_template:document', 'reference_template:selfie', 'result:null', 'selfie_image:selfie']);
    const images = result.retention.filter((r: { item: string }) => r.item.endsWith('_image'));
    const days = (Date.parse(images[0].deleteAt) - Date.parse(result.completedAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 5);
    expect((await stack.client.json('GET', '/v1/subjects/PN-200')).body.enrolled).toBe(true);
  });

  it('matches a re-encoded copy of the enrolment selfie against both references, and flags it as a replay', async () => {
    // A new proof of life must be a new photo: the same picture again, resized and darkened, is sent to an officer.
    // (A genuinely new photo of one person verifies in test/e2e/proof-of-life.test.ts, on real photos.)
    const retaken = await sharp(alice).resize(360).modulate({ brightness: 0.85 }).jpeg({ quality: 80 }).toBuffer();
    const result = await submit('/v1/subjects/PN-200/verifications', { selfie: retaken });
    expect(result.match.similarity).toBeGreaterThan(result.match.threshold.verifyMinSimilarity);
    expect(result.match.comparedWith.map((c: { source: string }) => c.source).sort()).toEqual(['document', 'enrollment']);
    expect(result).toMatchObject({ decision: 'needs_review', reasons: ['REPLAY_IMAGE_REUSED', 'FACE_MATCH'] });
    expect(result.liveness.replay.matches[0]).toMatchObject({ role: 'selfie', submissionId: enrolmentId, otherSubject: false });
    expect(result.timings.inferenceMs).toBeGreaterThan(0);
  });

  it('does not verify another person', async () => {
    const result = await submit('/v1/subjects/PN-200/verifications', { selfie: bob });
    expect(result.status).toBe('completed');
    expect(result.decision).not.toBe('verified');
    expect(result.match.similarity).toBeLessThan(result.match.threshold.verifyMinSimilarity);
  });

  it('rejects a selfie without a face, and one with several faces, with reason codes the app can show', async () => {
    const wall = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8b89a' } }).jpeg().toBuffer();
    // The quality gate's code comes first: its message is there in Tajik, Russian and English for the app to show.
    const none = await submit('/v1/subjects/PN-200/verifications', { selfie: wall });
    expect(none).toMatchObject({ decision: 'rejected', reasons: ['QUALITY_NO_FACE', 'SELFIE_NO_FACE'], match: null });
    expect(Object.keys(none.liveness.quality.findings[0].message).sort()).toEqual(['en', 'ru', 'tg']);
    const group = face('group-sample1');
    const several = await submit('/v1/subjects/PN-200/verifications', { selfie: group });
    expect(several.decision).toBe('rejected');
    expect(several.reasons).toEqual(expect.arrayContaining(['QUALITY_MULTIPLE_FACES', 'SELFIE_MULTIPLE_FACES']));
  });

  it('completes a submission exactly once even when its job runs again', async () => {
    const again = await stack.worker!.processor.process(enrolmentId);
    expect(again).toEqual({ status: 'skipped', why: 'not_found_or_terminal' });
    const templates = await stack.service.platform.db.query('SELECT id FROM reference_templates WHERE submission_id = $1', [enrolmentId]);
    expect(templates).toHaveLength(2);
  });

  it('fails a submission whose stored image was tampered with, without crashing the worker', async () => {
    await stack.worker!.worker.pause();
    const res = await stack.client.multipart('/v1/subjects/PN-200/verifications', { selfie: alice });
    const root = path.join(stack.env.config.dataDir, 'blobs');
    const [item] = await stack.service.platform.db.query<{ blob_key: string }>('SELECT blob_key FROM stored_items WHERE submission_id = $1', [res.body.submissionId]);
    const file = readdirSync(root, { recursive: true }).map(String).find((f) => f.endsWith(item!.blob_key))!;
    const sealed = readFileSync(path.join(root, file));
    sealed[sealed.length - 5]! ^= 0xff;
    writeFileSync(path.join(root, file), sealed);
    stack.worker!.worker.resume();
    const result = await stack.client.waitForSubmission(res.body.submissionId);
    expect(result).toMatchObject({ status: 'failed', decision: null, reasons: ['DATA_UNREADABLE'], failure: { code: 'DATA_UNREADABLE' } });
    // The worker goes on with the next job.
    expect((await submit('/v1/subjects/PN-200/verifications', { selfie: alice })).status).toBe('completed');
  });

  it('does not leak tensors from job to job', async () => {
    const before = stack.worker!.engine.tensorCount();
    for (let i = 0; i < 3; i += 1) await submit('/v1/subjects/PN-200/verifications', { selfie: i % 2 ? bob : alice });
    expect(stack.worker!.engine.tensorCount()).toBe(before);
  });
});
