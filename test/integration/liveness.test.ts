import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { livenessRoutes } from '../../src/api/routes/liveness.routes.js';
import { AttemptLimiter } from '../../src/domain/liveness/attempt-limiter.js';
import { DEFAULT_CHALLENGE_POLICY, hashNonce } from '../../src/domain/liveness/challenge.js';
import { LivenessChallengeService } from '../../src/domain/liveness/challenge.service.js';
import { DEFAULT_CHALLENGE_RULES } from '../../src/domain/liveness/challenge-verification.js';
import { fingerprintImage } from '../../src/domain/liveness/image-fingerprint.js';
import { LivenessAssessor, livenessAnswer, type AnalysedImage } from '../../src/domain/liveness/liveness-assessor.js';
import { PAD_CALIBRATION } from '../../src/domain/liveness/pad-calibration.js';
import { ReplayChecker } from '../../src/domain/liveness/replay-check.js';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../src/domain/quality/quality-thresholds.js';
import { createFaceApiEngine } from '../../src/engine/face-api.engine.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import { createHumanPadModel } from '../../src/engine/pad/human-pad.model.js';
import type { PadModel } from '../../src/engine/pad/pad-model.js';
import { decodeRgb, normalizeUpload } from '../../src/images/image-codec.js';
import { newId } from '../../src/shared/ids.js';
import { createLogger } from '../../src/shared/logger.js';
import { createRepositories } from '../../src/storage/repositories/index.js';
import { ApiClient } from '../support/api-client.js';
import { datasetsDir } from '../support/datasets.js';
import { MutableClock } from '../support/mutable-clock.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Challenges, nonces, lockouts and replay flags on the real PostgreSQL, the routes on their own app so that the
// clock can be moved (the product mounts them in apiRoutes; test/integration/liveness-worker.test.ts goes end to end).
let stack: Stack;
let server: Server;
let client: ApiClient;
const clock = new MutableClock(new Date());
const tester = { type: 'api-key' as const, id: 'test-key', role: 'mobile-client' };
const locked: string[] = [];
const policy = { maxFailures: 5, windowMs: 3 * 60_000, lockoutMs: 30 * 60_000 };
let limiter: AttemptLimiter;
let challenges: LivenessChallengeService;

beforeAll(async () => {
  stack = await startStack();
  limiter = new AttemptLimiter({ uow: stack.service.platform.uow, clock, policy, onLocked: (lockout) => { locked.push(lockout.subjectId); } });
  challenges = new LivenessChallengeService({ uow: stack.service.platform.uow, subjects: stack.service.subjects.subjects, limiter, clock, policy: DEFAULT_CHALLENGE_POLICY });
  const app = createApp({
    logger: createLogger('silent'), apiKeys: stack.service.access.apiKeys, idempotency: stack.service.platform.uow.ports.idempotency, maxUploadBytes: 10 * 1024 * 1024,
    version: 'test', routes: livenessRoutes({ challenges, policy: DEFAULT_CHALLENGE_POLICY }),
  });
  server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, stack.keys['mobile-client']);
  for (const ref of ['PN-L1', 'PN-L2', 'PN-L3', 'PN-L4']) await createConsentingSubject(stack.client, ref);
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

const subjectId = async (ref: string) => (await stack.service.subjects.subjects.get(ref)).id;
async function newSubmission(ref: string): Promise<string> {
  const id = newId();
  await createRepositories(stack.service.platform.db).submissions.insert({ id, subjectId: await subjectId(ref), kind: 'verification', createdAt: clock.now() });
  return id;
}
const redeem = async (nonce: string | null, ref: string) =>
  challenges.redeem(stack.service.platform.uow.ports, { nonce, subjectId: await subjectId(ref), submissionId: await newSubmission(ref), frameCount: 5 });

describe('POST /v1/subjects/{id}/liveness-challenges', () => {
  it('issues 2-3 random actions with instructions in the asked language, a nonce, and at most 3 minutes', async () => {
    const res = await client.json('POST', '/v1/subjects/PN-L1/liveness-challenges', undefined, { 'accept-language': 'ru-RU,ru;q=0.9' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('content-language')).toBe('ru');
    const body = res.body;
    expect(body.actions.length).toBeGreaterThanOrEqual(2);
    expect(body.actions.length).toBeLessThanOrEqual(3);
    expect(body.actions[0].instruction).toMatch(/[а-я]/);
    expect(Date.parse(body.expiresAt) - Date.parse(body.issuedAt)).toBeLessThanOrEqual(180_000);
    expect(body.frames).toEqual({ min: 3, max: 12 });
    // Only the nonce's hash is kept.
    const rows = await stack.service.platform.db.query<{ nonce_hash: string }>('SELECT nonce_hash FROM liveness_challenges WHERE id = $1', [body.challengeId]);
    expect(rows[0]!.nonce_hash).toBe(hashNonce(body.nonce));
    const dump = JSON.stringify(await stack.service.platform.db.query('SELECT * FROM liveness_challenges'));
    expect(dump).not.toContain(body.nonce);
  });

  it('answers 404 for an unknown subject, 401 without a key and 403 to a reviewer', async () => {
    expect((await client.json('POST', '/v1/subjects/PN-NOPE/liveness-challenges')).status).toBe(404);
    expect((await client.withKey('').json('POST', '/v1/subjects/PN-L1/liveness-challenges')).status).toBe(401);
    expect((await client.withKey(stack.keys.reviewer).json('POST', '/v1/subjects/PN-L1/liveness-challenges')).status).toBe(403);
  });
});

describe('redeeming a nonce: valid, unexpired, unused, bound to the subject', () => {
  it('works once; the second presentation is a reuse', async () => {
    const { nonce } = await challenges.issue('PN-L1', tester);
    expect((await redeem(nonce, 'PN-L1')).state).toBe('ok');
    expect((await redeem(nonce, 'PN-L1')).state).toBe('used');
  });

  it('is refused for another subject, and burnt by that attempt', async () => {
    const { nonce } = await challenges.issue('PN-L1', tester);
    expect(await redeem(nonce, 'PN-L2')).toEqual({ state: 'wrong_subject', challengeId: null });
    expect((await redeem(nonce, 'PN-L1')).state).toBe('used');
  });

  it('is expired after its lifetime, and unknown when made up', async () => {
    const { nonce, challenge } = await challenges.issue('PN-L1', tester);
    clock.set(new Date(challenge.expiresAt.getTime() + 1000));
    expect((await redeem(nonce, 'PN-L1')).state).toBe('expired');
    expect((await redeem('not-a-nonce', 'PN-L1')).state).toBe('unknown');
    expect((await redeem(null, 'PN-L1')).state).toBe('unknown');
  });

  it('two uploads racing with one nonce: exactly one wins', async () => {
    const { nonce } = await challenges.issue('PN-L1', tester);
    const states = (await Promise.all([redeem(nonce, 'PN-L1'), redeem(nonce, 'PN-L1'), redeem(nonce, 'PN-L1')])).map((r) => r.state).sort();
    expect(states).toEqual(['ok', 'used', 'used']);
  });
});

describe('retry limit', () => {
  it('five failures in three minutes lock the subject out: no new challenge (429) until the lockout ends', async () => {
    const id = await subjectId('PN-L3');
    for (let k = 0; k < 4; k++) expect(await limiter.recordFailure(id, await newSubmission('PN-L3'), ['QUALITY_TOO_DARK'])).toBeNull();
    const lockout = await limiter.recordFailure(id, await newSubmission('PN-L3'), ['CHALLENGE_ACTION_ORDER']);
    expect(lockout!.lockedUntil.getTime() - clock.now().getTime()).toBe(policy.lockoutMs);
    expect(locked).toEqual([id]);
    const refused = await client.json('POST', '/v1/subjects/PN-L3/liveness-challenges');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'LIVENESS_LOCKED_OUT', details: { lockedUntil: lockout!.lockedUntil.toISOString() } });
    clock.set(new Date(lockout!.lockedUntil.getTime() + 1000));
    expect((await client.json('POST', '/v1/subjects/PN-L3/liveness-challenges')).status).toBe(201);
  });

  it('failures spread beyond the window do not lock', async () => {
    const id = await subjectId('PN-L4');
    for (let k = 0; k < 6; k++) {
      expect(await limiter.recordFailure(id, await newSubmission('PN-L4'), ['QUALITY_BLURRY'])).toBeNull();
      clock.set(new Date(clock.now().getTime() + 60_000));
    }
  });
});

describe('replay and reuse', () => {
  let checker: ReplayChecker;
  beforeAll(() => { checker = new ReplayChecker({ uow: stack.service.platform.uow }); });
  const image = async (bytes: Buffer, role: string) => {
    const rgb = await decodeRgb((await normalizeUpload(bytes, role, { maxPixels: 4e7, maxSide: 2000 })).jpeg);
    return { role, phash: fingerprintImage(rgb).phash, sha256: createHash('sha256').update(bytes).digest('hex') };
  };

  it('flags a selfie already submitted for this subject, even re-encoded; not a new photo', async () => {
    const id = await subjectId('PN-L2');
    const selfie = readFileSync('samples/faces/sample3-face2.jpg');
    const first = await newSubmission('PN-L2');
    await checker.record(id, first, [await image(selfie, 'selfie')], clock.now());
    const again = await checker.check(id, await newSubmission('PN-L2'), [await image(await sharp(selfie).jpeg({ quality: 75 }).toBuffer(), 'selfie')]);
    expect(again.reasons).toEqual(['REPLAY_IMAGE_REUSED']);
    expect(again.matches[0]).toMatchObject({ submissionId: first, otherSubject: false });
    const fresh = await checker.check(id, await newSubmission('PN-L2'), [await image(readFileSync('samples/faces/sample5-face4.jpg'), 'selfie')]);
    expect(fresh.reasons).toEqual([]);
  });

  it('flags a frame set sent before, and compares only this subject\'s own pictures', async () => {
    const [a, b] = [await subjectId('PN-L1'), await subjectId('PN-L2')];
    const frames = await Promise.all(['sample1-face1', 'sample1-face2', 'sample1-face3'].map(async (n, k) => image(readFileSync(`samples/faces/${n}.jpg`), `frame-0${k}`)));
    await checker.record(a, await newSubmission('PN-L1'), frames, clock.now());
    expect((await checker.check(a, await newSubmission('PN-L1'), frames)).reasons).toEqual(['REPLAY_FRAME_SET_REUSED']);
    // Another subject sending the same pictures is not a replay of theirs (documents have their own registry check).
    expect((await checker.check(b, await newSubmission('PN-L2'), frames)).reasons).toEqual([]);
  });
});

describe('the assessor: quality, passive PAD, challenge, replay and the decision in one call', () => {
  let engine: FaceEngine;
  let pad: PadModel;
  beforeAll(async () => {
    engine = await createFaceApiEngine({ backend: 'wasm', detector: 'ssd' });
    pad = await createHumanPadModel({ backend: 'wasm' });
  });
  afterAll(async () => {
    await pad?.dispose();
    await engine?.dispose();
  });

  const analysed = async (bytes: Buffer): Promise<AnalysedImage> => {
    const jpeg = (await normalizeUpload(bytes, 'image', { maxPixels: 4e7, maxSide: 2000 })).jpeg;
    const rgb = await decodeRgb(jpeg);
    return { rgb, faces: await engine.detectFaces(rgb), sha256: createHash('sha256').update(jpeg).digest('hex') };
  };
  const lfw = (person: string, n: number) => path.join(datasetsDir(), 'lfw-dev', 'images', person, `${person}_${String(n).padStart(4, '0')}.jpg`);

  it.skipIf(!existsSync(lfw('Jiang_Zemin', 1)))('a genuine response passes the challenge; the same nonce and selfie again go to review', async () => {
    const assessor = new LivenessAssessor({
      uow: stack.service.platform.uow, pad, calibration: PAD_CALIBRATION, quality: DEFAULT_QUALITY_THRESHOLDS,
      challenge: { ...DEFAULT_CHALLENGE_RULES, samePersonMaxDistance: 0.7 }, decision: { requireChallenge: false, requirePassive: true },
      limiter, replay: new ReplayChecker({ uow: stack.service.platform.uow }), now: () => clock.now(),
    });
    await createConsentingSubject(stack.client, 'PN-L5');
    const id = await subjectId('PN-L5');
    const issued = await challenges.issue('PN-L5', tester);
    await stack.service.platform.db.query('UPDATE liveness_challenges SET actions = $2 WHERE id = $1', [issued.challenge.id, JSON.stringify(['turn_left', 'turn_right'])]);
    const frames = await Promise.all([1, 2, 13, 3, 9].map((n) => analysed(readFileSync(lfw('Jiang_Zemin', n)))));
    const selfie = await analysed(readFileSync(lfw('Jiang_Zemin', 15)));

    const submit = async () => {
      const submissionId = await newSubmission('PN-L5');
      await challenges.redeem(stack.service.platform.uow.ports, { nonce: issued.nonce, subjectId: id, submissionId, frameCount: frames.length });
      return assessor.assess({
        submissionId, subjectId: id, kind: 'verification', selfie, selfieFace: selfie.faces[0]!, frames,
        match: { decision: 'verified', reasons: ['FACE_MATCH'] },
      });
    };
    const first = await submit();
    expect(first.challenge!.pass).toBe(true);
    expect(first.quality.components).not.toBeNull();
    expect(first.liveness!.score).toBeGreaterThanOrEqual(0);
    // Verified unless the passive check doubts this (old, scanned) news photo; never rejected.
    expect(first.decision === 'verified' || first.reasons.every((r) => r.startsWith('PAD_') || r.startsWith('QUALITY_') || r === 'FACE_MATCH')).toBe(true);

    // What the answer stores: codes, measures, scores; nothing to rebuild a face from.
    const answer = JSON.parse(JSON.stringify(livenessAnswer(first)));
    expect(Object.keys(answer)).toEqual(['quality', 'liveness', 'challenge', 'replay', 'lockout']);
    expect(answer.challenge.frames).toHaveLength(5);
    expect(JSON.stringify(answer)).not.toMatch(/embedding|landmarks|lbp/);

    const replayed = await submit();
    expect(replayed.decision).toBe('needs_review');
    expect(replayed.reasons).toEqual(expect.arrayContaining(['CHALLENGE_NONCE_REUSED', 'REPLAY_IMAGE_REUSED', 'REPLAY_FRAME_SET_REUSED']));
  });
});
