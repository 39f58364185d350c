import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyseDocument, greyCopy } from '../../../../src/domain/verification/face-analysis.js';
import { createEngine } from '../../../../src/engine/create-engine.js';
import type { FaceEngine } from '../../../../src/engine/face-engine.js';
import { cropRgb, decodeRgb, normalizeUpload } from '../../../../src/images/image-codec.js';
import { describeIfDatasets, documentPath } from '../../../support/datasets.js';

// The Czech 2005 specimen prints its portrait under a dense green guilloche: the production detector does not find
// the face on the colour page, and does on a grey copy (docs/ACCURACY.md, "Document portraits").
let engine: FaceEngine;
const ops = { decodeRgb, cropRgb };
const CZECH = 'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient2_1300x1002.jpg';

beforeAll(async () => {
  engine = await createEngine({ backend: 'auto', detector: 'ssd', minDetectionScore: 0.5, model: 'human-faceapi-frnet-5pt' });
});
afterAll(async () => {
  await engine?.dispose();
});

it('greyCopy keeps the size and sets every pixel to its luma', () => {
  const rgb = { data: new Uint8Array([255, 0, 0, 0, 255, 0, 10, 20, 30]), width: 3, height: 1 };
  expect(greyCopy(rgb)).toEqual({ data: new Uint8Array([76, 76, 76, 150, 150, 150, 18, 18, 18]), width: 3, height: 1 });
});

describeIfDatasets('portrait under a coloured guilloche', () => {
  it('is found on a grey copy of the page when the colour page shows none', async () => {
    const jpeg = (await normalizeUpload(readFileSync(documentPath(CZECH)), 'document', { maxPixels: 4e7, maxSide: 2000 })).jpeg;
    const colour = await engine.detectFaces(await decodeRgb(jpeg));
    const { face, reason } = await analyseDocument(engine, ops, jpeg);
    expect(reason).toBeNull();
    expect(face!.box.width).toBeGreaterThan(60);
    // The fallback only matters when the colour page fails; if a detector update finds it in colour, say so.
    expect(colour.filter((f) => f.box.width > 60)).toHaveLength(0);
  });
});
