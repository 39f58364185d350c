import { describe, expect, it } from 'vitest';
import type { FaceFinding } from '../../../src/engine/face-engine.js';
import { chooseDocumentPortrait, chooseSelfieFace } from '../../../src/domain/verification/face-selection.js';

const face = (width: number, x = 0): FaceFinding => ({
  box: { x, y: 0, width, height: width }, score: 0.9, landmarks: [], embedding: new Float32Array(128),
});
const rules = { minFacePx: 80, rivalAreaRatio: 0.35 };

describe('selfie face selection', () => {
  it('reports no face', () => {
    expect(chooseSelfieFace([], rules)).toEqual({ ok: false, reason: 'SELFIE_NO_FACE' });
  });

  it('accepts one dominant face even with small faces in the background', () => {
    const choice = chooseSelfieFace([face(40, 500), face(300)], rules);
    expect(choice.ok && choice.face.box.width).toBe(300);
  });

  it('refuses two faces of similar size: whose proof of life would it be?', () => {
    expect(chooseSelfieFace([face(300), face(250, 400)], rules)).toEqual({ ok: false, reason: 'SELFIE_MULTIPLE_FACES' });
  });

  it('refuses a face too small to serve as a reference', () => {
    expect(chooseSelfieFace([face(60)], rules)).toEqual({ ok: false, reason: 'SELFIE_FACE_TOO_SMALL' });
  });

  it('takes the largest face of a document page (not the small ghost portrait)', () => {
    expect(chooseDocumentPortrait([face(30, 600), face(150)])?.box.width).toBe(150);
    expect(chooseDocumentPortrait([])).toBeNull();
  });
});
