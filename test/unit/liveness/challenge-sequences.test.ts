import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeAction, LivenessChallenge } from '../../../src/domain/liveness/challenge.js';
import {
  DEFAULT_CHALLENGE_RULES, verifyChallenge, type ChallengeFrame, type ChallengeRules, type NonceState,
} from '../../../src/domain/liveness/challenge-verification.js';
import { fingerprintImage } from '../../../src/domain/liveness/image-fingerprint.js';
import { createFaceApiEngine } from '../../../src/engine/face-api.engine.js';
import type { FaceEngine } from '../../../src/engine/face-engine.js';
import { decodeRgb, normalizeUpload } from '../../../src/images/image-codec.js';
import { datasetsDir, describeIfDatasets } from '../../support/datasets.js';

// Challenge responses assembled from real photos. A sequence of still photos of one person taken on different days
// exercises the same code as frames from one recording (landmarks -> yaw, eye and mouth openness -> actions in
// order; embeddings -> one person; fingerprints -> no frame twice), but it cannot show that a recording was live:
// docs/LIVENESS.md says what it does and does not prove.
let engine: FaceEngine;
beforeAll(async () => {
  engine = await createFaceApiEngine({ backend: 'wasm', detector: 'ssd' });
});
afterAll(async () => {
  await engine?.dispose();
});

const rules: ChallengeRules = { ...DEFAULT_CHALLENGE_RULES, samePersonMaxDistance: 0.7 };

async function frame(bytes: Buffer): Promise<ChallengeFrame & { embedding: Float32Array | null }> {
  const jpeg = (await normalizeUpload(bytes, 'frame', { maxPixels: 40_000_000, maxSide: 2000 })).jpeg;
  const rgb = await decodeRgb(jpeg);
  const faces = await engine.detectFaces(rgb);
  return { faces, fingerprint: fingerprintImage(rgb), sha256: createHash('sha256').update(bytes).digest('hex'), embedding: faces[0]?.embedding ?? null };
}

function challenge(actions: ChallengeAction[]): LivenessChallenge {
  const now = new Date();
  return { id: 'c', subjectId: 's', actions, nonceHash: 'h', issuedAt: now, expiresAt: new Date(now.getTime() + 120_000), usedAt: now, usedBySubmission: 'x' };
}

function verify(frames: readonly ChallengeFrame[], actions: ChallengeAction[], selfie: Float32Array | null, nonce: NonceState = 'ok') {
  return verifyChallenge({ nonce, challenge: challenge(actions), frames, selfieEmbedding: selfie }, rules);
}

describe('challenge checks on the sample faces (always run)', () => {
  let a: Buffer;
  let b: Buffer;
  beforeAll(async () => {
    const framed = async (name: string) => {
      const face = readFileSync(`samples/faces/${name}.jpg`);
      const { width = 0 } = await sharp(face).metadata();
      const pad = Math.round(width * 0.45);
      return sharp(face).extend({ top: pad, bottom: pad * 2, left: pad, right: pad, background: '#8a7f70' }).jpeg({ quality: 92 }).toBuffer();
    };
    a = await framed('sample3-face2');
    b = await framed('sample5-face4');
  });

  it('one photo sent again, even re-encoded, is a repeated frame', async () => {
    const first = await frame(a);
    const again = await frame(await sharp(a).jpeg({ quality: 80 }).toBuffer());
    const shifted = await frame(await sharp(a).extend({ top: 12, left: 20, background: '#8a7f70' }).extract({ left: 0, top: 0, width: 600, height: 700 }).jpeg().toBuffer());
    const result = verify([first, again, first, shifted], ['turn_left', 'blink'], first.embedding);
    expect(result.reasons).toContain('CHALLENGE_FRAME_REPEATED');
    expect(result.details.repeatedFrames).toEqual(expect.arrayContaining([[0, 1], [0, 2], [1, 2]]));
    // A still photo does not move: the actions are missing too.
    expect(result.reasons).toContain('CHALLENGE_ACTION_MISSING');
    expect(result.pass).toBe(false);
  });

  it('another person\'s frame in the set is caught by the embeddings', async () => {
    const mine = await Promise.all([a, await sharp(a).modulate({ brightness: 1.08 }).jpeg().toBuffer(), await sharp(a).resize({ width: 500 }).jpeg().toBuffer()].map(frame));
    const theirs = await frame(b);
    const result = verify([mine[0]!, mine[1]!, theirs, mine[2]!], ['turn_left', 'turn_right'], mine[0]!.embedding);
    expect(result.reasons).toContain('CHALLENGE_PERSON_CHANGED');
    expect(result.details.framesOfAnotherPerson).toEqual([2]);
  });

  it('frames of someone other than the selfie\'s person', async () => {
    const mine = await Promise.all([a, await sharp(a).resize({ width: 520 }).jpeg().toBuffer(), await sharp(a).modulate({ brightness: 0.92 }).jpeg().toBuffer()].map(frame));
    const selfie = (await frame(b)).embedding;
    expect(verify(mine, ['blink', 'turn_left'], selfie).reasons).toContain('CHALLENGE_SELFIE_MISMATCH');
  });

  it('each nonce failure has its own code, and a missing face or a short set theirs', async () => {
    const f = await frame(a);
    const wall = await frame(await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8b89a' } }).jpeg().toBuffer());
    expect(verify([f], ['blink', 'turn_left'], null, 'expired').reasons).toEqual(expect.arrayContaining(['CHALLENGE_NONCE_EXPIRED', 'CHALLENGE_FRAME_COUNT']));
    expect(verify([f], ['blink'], null, 'used').reasons).toContain('CHALLENGE_NONCE_REUSED');
    expect(verify([f], ['blink'], null, 'unknown').reasons).toContain('CHALLENGE_NONCE_UNKNOWN');
    expect(verify([f], ['blink'], null, 'wrong_subject').reasons).toContain('CHALLENGE_WRONG_SUBJECT');
    expect(verify([f, wall, f], ['blink'], null).details.framesWithoutFace).toEqual([1]);
  });
});

describeIfDatasets('challenge sequences from real photos of one person (LFW)', () => {
  const lfw = (person: string, n: number) => path.join(datasetsDir(), 'lfw-dev', 'images', person, `${person}_${String(n).padStart(4, '0')}.jpg`);
  const load = (person: string, ...ns: number[]) => Promise.all(ns.map((n) => frame(readFileSync(lfw(person, n)))));
  const present = existsSync(lfw('Jiang_Zemin', 1));

  it.skipIf(!present)('a genuine turn-left, turn-right sequence passes; the same frames fail when the order asked was the other', async () => {
    // Yaw (person's own left positive): 0001 -1°, 0002 +28°, 0013 +1°, 0003 -18°, 0009 +1°.
    const frames = await load('Jiang_Zemin', 1, 2, 13, 3, 9);
    const [selfie] = await load('Jiang_Zemin', 15);
    const genuine = verify(frames, ['turn_left', 'turn_right'], selfie!.embedding);
    expect(genuine.reasons).toEqual([]);
    expect(genuine.pass).toBe(true);
    expect(genuine.frames.map((f) => f.actions)).toEqual([[], ['turn_left'], [], ['turn_right'], []]);

    const reversed = verify(frames, ['turn_right', 'turn_left'], selfie!.embedding);
    expect(reversed.reasons).toEqual(['CHALLENGE_ACTION_ORDER']);
    expect(reversed.details.seenOrder).toEqual(['turn_left', 'turn_right']);

    const notDone = verify(frames, ['open_mouth', 'turn_left'], selfie!.embedding);
    expect(notDone.reasons).toEqual(['CHALLENGE_ACTION_MISSING']);
    expect(notDone.details.missingActions).toEqual(['open_mouth']);
  });

  it.skipIf(!present)('one photo repeated, another person\'s frame, the wrong selfie: each its code', async () => {
    const frames = await load('Jiang_Zemin', 1, 2, 13, 3, 9);
    const [selfie] = await load('Jiang_Zemin', 15);
    const [blair] = await load('Tony_Blair', 64);

    const repeated = verify([frames[0]!, frames[1]!, frames[1]!, frames[2]!, frames[3]!], ['turn_left', 'turn_right'], selfie!.embedding);
    expect(repeated.reasons).toEqual(['CHALLENGE_FRAME_REPEATED']);

    const swapped = verify([frames[0]!, frames[1]!, frames[2]!, blair!, frames[4]!], ['turn_left', 'turn_right'], selfie!.embedding);
    expect(swapped.reasons).toContain('CHALLENGE_PERSON_CHANGED');
    expect(swapped.details.framesOfAnotherPerson).toEqual([3]);

    expect(verify(frames, ['turn_left', 'turn_right'], blair!.embedding).reasons).toEqual(['CHALLENGE_SELFIE_MISMATCH']);
  });

  it.skipIf(!existsSync(lfw('Silvio_Berlusconi', 25)))('a blink: eyes open, closed, open, then a turn', async () => {
    // 0025 has the eyes (almost) shut; 0018 is turned to his left.
    const frames = await load('Silvio_Berlusconi', 21, 25, 23, 18, 29);
    const result = verify(frames, ['blink', 'turn_left'], frames[0]!.embedding);
    expect(result.frames[1]!.actions).toContain('blink');
    expect(result.reasons).toEqual([]);
  });

  it.skipIf(!existsSync(lfw('Jennifer_Garner', 6)))('an open mouth, then a turn to the left', async () => {
    const frames = await load('Jennifer_Garner', 1, 6, 3, 11, 8);
    const result = verify(frames, ['open_mouth', 'turn_left'], frames[0]!.embedding);
    expect(result.frames[1]!.actions).toContain('open_mouth');
    expect(result.reasons).toEqual([]);
  });
});
