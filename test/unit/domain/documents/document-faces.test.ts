import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalibration } from '../../../../src/config/calibration.js';
import { COMPARABLE_FACE_AREA, countDocumentFaces } from '../../../../src/domain/documents/document-faces.js';
import { analyseDocument } from '../../../../src/domain/verification/face-analysis.js';
import { createEngine } from '../../../../src/engine/create-engine.js';
import type { FaceEngine, FaceFinding } from '../../../../src/engine/face-engine.js';
import { cropRgb, decodeRgb } from '../../../../src/images/image-codec.js';
import { describeIfDatasets, documentPath } from '../../../support/datasets.js';
import { makeSyntheticPassportPage, SYNTHETIC_PAGE } from '../../../support/passport-page.js';

// Faces on a document photo besides its portrait: ghost images pass, another person of comparable size or a crowd is
// DOCUMENT_MULTIPLE_FACES. Real pages through the production face pipeline (samples/faces ship with the repository).
const MODEL = 'human-faceapi-frnet-5pt';
const ghostMaxDistance = loadCalibration(MODEL).verifyMaxDistance;
let engine: FaceEngine;
let page: Buffer;
const ops = { decodeRgb, cropRgb };

beforeAll(async () => {
  engine = await createEngine({ backend: 'auto', detector: 'ssd', minDetectionScore: 0.5, model: MODEL });
  page = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
});
afterAll(async () => {
  await engine?.dispose();
});

const facesOf = async (image: Buffer) => countDocumentFaces((await analyseDocument(engine, ops, image)).image.faces, ghostMaxDistance);

/** The page with `overlay` pasted at (left, top). */
const withOverlay = async (overlay: Buffer, left: number, top: number) =>
  sharp(page).composite([{ input: overlay, left, top }]).jpeg({ quality: 90 }).toBuffer();

describe('faces on a document photo', () => {
  it('a page with its portrait alone: no finding', async () => {
    expect(await facesOf(page)).toEqual({ detected: 1, ghosts: 0, rivals: 0, multiple: false });
  });

  it('a printed ghost copy of the portrait is no rival', async () => {
    const { portrait } = SYNTHETIC_PAGE;
    // Half the portrait's size, grey and faded, as passports print it beside the data.
    const ghost = await sharp(page).extract(portrait).resize(Math.round(portrait.width * 0.5)).greyscale().linear(0.6, 100).png().toBuffer();
    const counted = await facesOf(await withOverlay(ghost, 700, 420));
    expect(counted.multiple).toBe(false);
    // Whatever the detector makes of the faded copy, nothing on the page is someone else.
    expect(counted.detected - counted.ghosts).toBe(1);
  });

  it('another person\'s photo of comparable size beside the page: DOCUMENT_MULTIPLE_FACES', async () => {
    const other = await sharp('samples/faces/sample2-face1.jpg').resize(260, 330, { fit: 'cover' }).jpeg().toBuffer();
    const counted = await facesOf(await withOverlay(other, 690, 150));
    expect(counted).toMatchObject({ detected: 2, ghosts: 0, rivals: 1, multiple: true });
  });

  it('a group photo sent as the document: DOCUMENT_MULTIPLE_FACES with the count', async () => {
    const counted = await facesOf(await sharp('samples/faces/group-sample1.jpg').jpeg().toBuffer());
    expect(counted).toMatchObject({ detected: 3, ghosts: 0, rivals: 2, multiple: true });
  });

  it('counts a crowd of small faces of other people, whatever their size', () => {
    const face = (size: number, tag: number): FaceFinding => ({
      box: { x: 0, y: 0, width: size, height: size }, score: 1, landmarks: [], embedding: new Float32Array([tag, 0]),
    });
    const smallSide = Math.sqrt(COMPARABLE_FACE_AREA) * 100 - 5;
    expect(countDocumentFaces([face(100, 0), face(smallSide, 1), face(smallSide, 2)], 0.4)).toMatchObject({ rivals: 0, multiple: false });
    expect(countDocumentFaces([face(100, 0), face(smallSide, 1), face(smallSide, 2), face(smallSide, 3)], 0.4)).toMatchObject({ detected: 4, multiple: true });
    // The same person three times (ghosts, a hologram copy) is no crowd.
    expect(countDocumentFaces([face(100, 0), face(90, 0.1), face(smallSide, 0.1), face(smallSide, 0.2)], 0.4)).toMatchObject({ ghosts: 3, multiple: false });
    expect(countDocumentFaces([], 0.4)).toEqual({ detected: 0, ghosts: 0, rivals: 0, multiple: false });
  });
});

describeIfDatasets('faces on specimen pages (needs ../shared/datasets)', () => {
  it('the Qatar specimen\'s large ghost image (two thirds of the portrait) is recognised as the portrait\'s', async () => {
    const png = await sharp(documentPath('arg0s1080_mrz/passports_Qatar.png')).jpeg({ quality: 92 }).toBuffer();
    expect(await facesOf(png)).toEqual({ detected: 2, ghosts: 1, rivals: 0, multiple: false });
  });
});
