import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalibration } from '../../src/config/calibration.js';
import { SubmissionProcessor } from '../../src/domain/verification/submission-processor.js';
import { createEngine } from '../../src/engine/create-engine.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import type { PadModel } from '../../src/engine/pad/pad-model.js';
import { createLivenessAssessor, loadPadModel } from '../../src/bootstrap/liveness.js';
import { cropRgb, decodeRgb, rotateJpeg } from '../../src/images/image-codec.js';
import { launchChromium } from '../support/browser.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// The review dashboard in real headless Chromium, on a case made from the face photos we ship in samples/.
// Screenshots land in docs/screenshots for the README.
let stack: Stack;
let engine: FaceEngine;
let pad: PadModel;
let browser: Browser;
let page: Page;
let caseId: string;
let processor: SubmissionProcessor;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  stack = await startStack({ env: { COOKIE_SECURE: 'false' } });
  engine = await createEngine({ backend: 'wasm', detector: 'ssd' });
  pad = await loadPadModel(stack.core);
  await stack.core.staffAuth.createUser('dilnoza', 'Dilnoza Karimova', 'reviewer', PASSWORD);
  await stack.core.staffAuth.createUser('farrukh', 'Farrukh Saidov', 'auditor', PASSWORD);
  await stack.core.staffAuth.createUser('malika', 'Malika Nazarova', 'operator', PASSWORD);

  // An enrolment whose score falls in the review band: the band here is set wide on purpose, so that a
  // genuine pair of real photos lands in it every time (production thresholds live in models/calibration.json).
  await createConsentingSubject(stack.client, 'PN-5501');
  const selfie = readFileSync('samples/faces/sample6-face1.jpg');
  const res = await stack.client.multipart('/v1/subjects/PN-5501/enrollments', { selfie, document: await makeSyntheticPassportPage('samples/faces/sample6-face1.jpg') });
  caseId = res.body.submissionId;
  processor = new SubmissionProcessor({
    db: stack.core.db, vault: stack.core.vault, engine, ops: { decodeRgb, cropRgb, rotateJpeg },
    calibration: { ...loadCalibration(engine.info.model), verifyMaxDistance: 0.001, reviewMaxDistance: 0.9 },
    retention: stack.core.retention, selfieRules: { minFacePx: 80, rivalAreaRatio: 0.35 }, clock: stack.core.clock,
    audit: stack.core.audit, consents: stack.core.consents, timers: stack.core.timers,
    liveness: createLivenessAssessor(stack.core, pad, loadCalibration(engine.info.model)),
  });
  expect(await processor.process(caseId)).toMatchObject({ status: 'completed', decision: 'needs_review' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
});

afterAll(async () => {
  await browser?.close();
  await engine?.dispose();
  await pad?.dispose();
  await stack?.stop();
});

const url = (path: string) => `${stack.client.baseUrl}${path}`;

async function signIn(username: string) {
  await page.goto(url('/dashboard'));
  await expect.poll(() => page.url()).toContain('/dashboard/login');
  await page.getByLabel(/User name|Имя|Номи/).fill(username);
  await page.getByLabel(/Password|Пароль|Рамз/).fill(PASSWORD);
  await page.getByRole('button', { name: /Sign in|Войти|Ворид/ }).click();
}

describe('review dashboard in Chromium', () => {
  it('signs a reviewer in and shows the queue, oldest first, with counts', async () => {
    await signIn('dilnoza');
    await page.waitForURL(/\/dashboard\/queue/);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Review queue');
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('.chip').first().textContent()).toContain('FACE_MATCH_UNCERTAIN');
    await page.screenshot({ path: 'docs/screenshots/review-queue.png', fullPage: true });
  });

  it('opens the case side by side, claims it and approves it with a reason', async () => {
    await page.getByRole('link', { name: 'Open' }).first().click();
    await page.waitForURL(new RegExp(`/dashboard/cases/${caseId}`));
    const images = page.locator('figure img');
    expect(await images.count()).toBe(2);
    // Runs in the page: the elements are <img>, typed loosely because the project compiles without the DOM lib.
    await expect.poll(() => images.evaluateAll((imgs) => imgs.every((i) => {
      const img = i as unknown as { complete: boolean; naturalWidth: number };
      return img.complete && img.naturalWidth > 0;
    }))).toBe(true);
    expect(await page.locator('.band').textContent()).toMatch(/match/i);
    await page.getByRole('button', { name: 'Claim this case' }).click();
    await page.getByLabel('SAME_PERSON_CONFIRMED').check();
    await page.getByLabel(/Comment/).fill('Same person; the document photo is older.');
    await page.screenshot({ path: 'docs/screenshots/review-case.png', fullPage: true });
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.locator('.flash.ok').textContent()).toContain('Decision recorded');
  });

  it('changes the submission answer and writes the audit trail', async () => {
    const answer = await stack.client.json('GET', `/v1/submissions/${caseId}`);
    expect(answer.body).toMatchObject({ decision: 'verified', machineDecision: 'needs_review', review: { outcome: 'approve', reasonCode: 'SAME_PERSON_CONFIRMED' } });
    expect((await stack.client.json('GET', '/v1/subjects/PN-5501')).body.enrolled).toBe(true);
    const actions = await stack.core.db.query<{ action: string; actor_type: string }>(
      `SELECT action, actor_type FROM audit_log WHERE actor_type = 'staff' ORDER BY seq`);
    const seen = actions.map((a) => a.action);
    expect(seen).toEqual(expect.arrayContaining(['staff.login', 'image.viewed', 'review.claimed', 'review.decided']));
    expect(seen.filter((a) => a === 'image.viewed').length).toBeGreaterThanOrEqual(2);
  });

  it('shows a challenge case: the asked movements, what each frame showed, and the frames, each view audited', async () => {
    const challenge = await stack.client.json('POST', '/v1/subjects/PN-5501/liveness-challenges');
    // Three different people in the frames: the machine cannot decide, a person must look.
    const frames = ['sample6-face2', 'sample6-face3', 'sample3-face2'].map((n) => readFileSync(`samples/faces/${n}.jpg`));
    const res = await stack.client.multipart('/v1/subjects/PN-5501/verifications', { selfie: readFileSync('samples/faces/sample5-face5.jpg'), frames }, { nonce: challenge.body.nonce });
    expect(await processor.process(res.body.submissionId)).toMatchObject({ decision: 'needs_review' });
    await page.goto(url(`/dashboard/cases/${res.body.submissionId}`));
    const strip = page.locator('.frames figure img');
    expect(await strip.count()).toBe(3);
    await expect.poll(() => strip.evaluateAll((imgs) => imgs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0))).toBe(true);
    expect(await page.locator('section', { hasText: 'Liveness' }).textContent()).toContain('CHALLENGE_PERSON_CHANGED');
    await page.screenshot({ path: 'docs/screenshots/review-case-liveness.png', fullPage: true });
    const views = await stack.core.db.query(`SELECT 1 FROM audit_log WHERE action = 'image.viewed' AND target_type = 'liveness_frame'`);
    expect(views.length).toBe(3);
  });

  it('keeps a reviewer out of the auditor pages', async () => {
    const res = await page.goto(url('/dashboard/audit'));
    expect(res?.status()).toBe(403);
  });

  it('switches the language and remembers it', async () => {
    await page.goto(url('/dashboard/queue'));
    await page.getByRole('link', { name: 'RU' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Очередь проверки');
    await page.goto(url('/dashboard/queue'));
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await page.getByRole('link', { name: 'TG' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Навбати санҷиш');
  });

  it('shows the auditor the trail with an intact chain, then signs out', async () => {
    await page.context().clearCookies();
    await signIn('farrukh');
    await page.waitForURL(/\/dashboard\/audit/);
    expect(await page.locator('.flash.ok').textContent()).toMatch(/intact|цела|солим/);
    expect(await page.locator('td.code', { hasText: 'review.decided' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'docs/screenshots/audit-trail.png', fullPage: false });
    await page.locator('header form button').click();
    await page.waitForURL(/\/dashboard\/login/);
    const back = await page.goto(url('/dashboard/audit'));
    expect(back?.url()).toContain('/dashboard/login');
  });

  it('shows an operator the progress of a campaign', async () => {
    const opensAt = new Date(Date.now() + 86_400_000);
    const created = await stack.client.withKey(stack.keys.operator).json('POST', '/v1/campaigns', {
      name: 'Dushanbe proof of life 2026', cohort: {}, opensAt: opensAt.toISOString(),
      dueAt: new Date(opensAt.getTime() + 30 * 86_400_000).toISOString(), graceDays: 5, reminders: [{ hoursBeforeDue: 168 }],
    });
    expect(created.status).toBe(201);
    await page.context().clearCookies();
    await signIn('malika');
    await page.goto(url('/dashboard/campaigns?lang=en'));
    await expect.poll(() => page.locator('h2').first().textContent()).toContain('Dushanbe proof of life 2026');
    expect(await page.locator('progress').count()).toBe(1);
  });

  it('serves every page under a strict Content-Security-Policy and never caches images', async () => {
    const res = await fetch(url('/dashboard/login'));
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toContain('no-store');
  });
});
