import type { StoragePorts } from '../../src/storage/unit-of-work.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLivenessAssessor, loadPadModel } from '../../src/bootstrap/liveness.js';
import { loadCalibration, type ModelCalibration } from '../../src/config/calibration.js';
import type { StaffUser } from '../../src/domain/staff/staff-ports.js';
import { SubmissionProcessor } from '../../src/domain/verification/submission-processor.js';
import { createEngine } from '../../src/engine/create-engine.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import type { PadModel } from '../../src/engine/pad/pad-model.js';
import { cropRgb, decodeRgb, rotateJpeg } from '../../src/images/image-codec.js';
import { describeIfDatasets, identityImages } from '../support/datasets.js';
import { makePassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// A reviewer approves a proof of life and asks to keep its selfie as a reference: the real submission processor
// (real models, real PostgreSQL) kept the selfie pending when it sent the case to review; the review then runs the
// gallery's own join, poisoning guard included. Real people from ../shared/datasets/identities.
describeIfDatasets('a reviewer-approved selfie as a reference (needs ../shared/datasets)', () => {
  let stack: Stack;
  let engine: FaceEngine;
  let pad: PadModel;
  let reviewer: StaffUser;
  let machine: SubmissionProcessor;
  let wideBand: SubmissionProcessor;
  const SUBJECT = 'PN-REVREF-1';
  const person = (n: number) => readFileSync(identityImages('deepface_id01')[n - 1]!);
  const impostor = (n: number) => readFileSync(identityImages('facerec_obama')[n - 1]!);

  beforeAll(async () => {
    stack = await startStack({ env: { GALLERY_MAX_RECENT: '3' } });
    engine = await createEngine({ backend: 'wasm', detector: 'ssd' });
    pad = await loadPadModel(stack.service);
    reviewer = await stack.service.access.staffAuth.createUser('zarina', 'Zarina Rahimova', 'reviewer', 'correct horse battery staple');
    const calibration = loadCalibration(engine.info.model);
    const processor = (c: ModelCalibration) => new SubmissionProcessor<StoragePorts>({
      uow: stack.service.platform.uow, consents: stack.service.consent.consents, vault: stack.service.platform.vault, engine, ops: { decodeRgb, cropRgb, rotateJpeg }, calibration: c,
      retention: stack.service.platform.retentionSettings, selfieRules: { minFacePx: 80, rivalAreaRatio: 0.35 }, clock: stack.service.platform.clock,
      audit: stack.service.platform.audit, timers: stack.service.retention.timers,
      liveness: createLivenessAssessor(stack.service, pad, calibration), gallery: { maxRecent: 3 },
    });
    machine = processor(calibration);
    // Every face lands in the review band, so that both the person and the impostor reach a reviewer; the review's
    // guard still judges with the production thresholds (models/calibration.json).
    wideBand = processor({ ...calibration, verifyMaxDistance: 0.001, reviewMaxDistance: 2, gallery: undefined });
    await createConsentingSubject(stack.client, SUBJECT);
  }, 180_000);

  afterAll(async () => {
    await engine?.dispose();
    await pad?.dispose();
    await stack?.stop();
  });

  async function submit(path: string, files: Record<string, Buffer>, by: SubmissionProcessor) {
    const res = await stack.client.multipart(path, files);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const processed = await by.process(res.body.submissionId);
    return { id: res.body.submissionId as string, processed };
  }
  const templatesOf = (submissionId: string) => stack.service.platform.db.query<{ id: string; status: string; has_embedding: boolean }>(
    'SELECT id, status, embedding_enc IS NOT NULL AS has_embedding FROM reference_templates WHERE submission_id = $1', [submissionId]);
  const actor = () => ({ type: 'staff' as const, id: reviewer.id, role: 'reviewer' });
  async function approveKeeping(id: string) {
    await stack.service.review.review.claim(id, actor());
    await stack.service.review.review.decide(id, actor(), reviewer.displayName, {
      outcome: 'approve', reasonCode: 'SAME_PERSON_CONFIRMED', comment: '', keepAsReference: true,
    });
    const [row] = await stack.service.platform.db.query<{ review: { referenceApproval?: string } }>('SELECT review FROM submissions WHERE id = $1', [id]);
    return row!.review.referenceApproval;
  }

  it('enrols the person (the anchors)', async () => {
    const page = await makePassportPage({ facePhoto: identityImages('deepface_id01')[1]! });
    const { processed } = await submit(`/v1/subjects/${SUBJECT}/enrollments`, { selfie: person(1), document: page }, machine);
    expect(processed).toMatchObject({ status: 'completed', decision: 'verified' });
  }, 120_000);

  it("a proof of life sent to review keeps its selfie pending; approved as a reference it joins, audited as the reviewer's", async () => {
    const { id, processed } = await submit(`/v1/subjects/${SUBJECT}/verifications`, { selfie: person(3) }, wideBand);
    expect(processed).toMatchObject({ status: 'completed', decision: 'needs_review' });
    expect(await templatesOf(id)).toMatchObject([{ status: 'pending_review', has_embedding: true }]);

    expect(await approveKeeping(id)).toBe('joined');
    const [joined] = await templatesOf(id);
    expect(joined).toMatchObject({ status: 'active', has_embedding: true });
    const audit = await stack.service.platform.db.query<{ action: string; actor_id: string; details: Record<string, unknown> }>(
      "SELECT action, actor_id, details FROM audit_log WHERE (target_id = $1 AND action = 'template.joined-gallery') OR (target_id = $2 AND action = 'review.decided') ORDER BY seq",
      [joined!.id, id]);
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([['template.joined-gallery', reviewer.id], ['review.decided', reviewer.id]]);
    expect(audit[1]!.details).toMatchObject({ referenceApproval: 'joined' });

    // The next proof of life is compared with the anchors and the reviewer-approved selfie.
    const next = await submit(`/v1/subjects/${SUBJECT}/verifications`, { selfie: person(4) }, machine);
    const answer = await stack.client.waitForSubmission(next.id, 10_000);
    expect(answer.match.comparedWith.map((c: { source: string }) => c.source).sort()).toEqual(['document', 'enrollment', 'verification']);
  }, 240_000);

  it("an impostor's proof of life, approved by mistake with the box ticked, is refused by the poisoning guard", async () => {
    const { id, processed } = await submit(`/v1/subjects/${SUBJECT}/verifications`, { selfie: impostor(1) }, wideBand);
    expect(processed).toMatchObject({ status: 'completed', decision: 'needs_review' });
    expect(await approveKeeping(id)).toBe('refused_by_guard');
    expect(await templatesOf(id)).toMatchObject([{ status: 'withdrawn' }]);
    // Its embedding is due for deletion at once, not kept for the reference term.
    const [item] = await stack.service.platform.db.query<{ policy: string; due: boolean }>(
      "SELECT policy, delete_at <= now() AS due FROM stored_items WHERE submission_id = $1 AND item_class = 'reference_template'", [id]);
    expect(item).toMatchObject({ policy: 'review-not-kept', due: true });
  }, 120_000);

  it('a proof of life approved without the box leaves its pending selfie out of use', async () => {
    const { id } = await submit(`/v1/subjects/${SUBJECT}/verifications`, { selfie: person(5) }, wideBand);
    await stack.service.review.review.claim(id, actor());
    await stack.service.review.review.decide(id, actor(), reviewer.displayName, { outcome: 'approve', reasonCode: 'SAME_PERSON_CONFIRMED', comment: '' });
    expect(await templatesOf(id)).toMatchObject([{ status: 'withdrawn' }]);
  }, 120_000);
});
