/**
 * Builds samples/faces/ from the demo photos shipped in the @vladmandic/face-api package: one
 * selfie-like crop per clearly visible face, plus one downscaled group photo. Every output is checked
 * with the engine itself and recorded with its provenance in samples/faces/manifest.json.
 *
 *   npx tsx samples/build-samples.ts
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createFaceApiEngine } from '../src/engine/face-api.engine.js';
import type { Box, FaceEngine, FaceFinding, RgbImage } from '../src/engine/face-engine.js';
import { packageVersion, resolvePackageFile } from '../src/engine/model-manifest.js';

const SOURCE_PACKAGE = '@vladmandic/face-api';
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'faces');
/** Faces the group photo detector is less sure of are often profiles or half hidden: poor selfie stand-ins. */
const MIN_SOURCE_SCORE = 0.8;
/** Tried in order until the crop holds exactly one face; wide margins pull in neighbours in group photos. */
const MARGINS = [2.2, 1.8, 1.5];
/** The crop must be an easy face for SSD; Tiny's scores run lower, so for it one face above 0.5 suffices. */
const MIN_CROP_SCORE = 0.8;
/** Crops this far (euclidean) from the face found in the group photo would be a different face. */
const MAX_SELF_DISTANCE = 0.35;
const GROUP_SOURCE = 'sample1.jpg';
const GROUP_WIDTH = 800;

interface SampleDetails {
  kind: 'face' | 'group';
  sourceFile: string;
  width: number;
  height: number;
  [detail: string]: unknown;
}

interface SampleRecord extends SampleDetails {
  file: string;
  bytes: number;
  sha256: string;
}

async function decode(input: string | Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(input).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Square region around the face, `margin` times the box's longer side, moved (not cut) to stay inside the photo. */
function cropRegion(box: Box, margin: number, image: RgbImage): { left: number; top: number; size: number } {
  const size = Math.round(Math.min(Math.max(box.width, box.height) * margin, image.width, image.height));
  const clamp = (start: number, limit: number) => Math.round(Math.min(Math.max(start, 0), limit - size));
  return {
    left: clamp(box.x + box.width / 2 - size / 2, image.width),
    top: clamp(box.y + box.height / 2 - size / 2, image.height),
    size,
  };
}

function distance(a: Float32Array, b: Float32Array): number {
  return Math.sqrt(a.reduce((sum, value, i) => sum + (value - b[i]!) ** 2, 0));
}

async function writeJpeg(file: string, jpeg: Buffer, record: SampleDetails): Promise<SampleRecord> {
  await writeFile(join(OUT_DIR, file), jpeg);
  return { file, ...record, bytes: jpeg.length, sha256: createHash('sha256').update(jpeg).digest('hex') };
}

async function buildFaceCrops(engines: FaceEngine[], sourceFile: string, n: number): Promise<SampleRecord[]> {
  const engine = engines[0]!;
  const sourcePath = resolvePackageFile(SOURCE_PACKAGE, sourceFile);
  const image = await decode(sourcePath);
  const records: SampleRecord[] = [];
  const faces = await engine.detectFaces(image);
  for (const [index, face] of faces.entries()) {
    const file = `sample${n}-face${index + 1}.jpg`;
    if (face.score < MIN_SOURCE_SCORE) {
      console.log(`skip ${file}: source score ${face.score.toFixed(2)}`);
      continue;
    }
    const built = await cropSingleFace(engines, sourcePath, image, face);
    if (!built) {
      console.log(`skip ${file}: no margin gives exactly one matching face`);
      continue;
    }
    const { jpeg, region, margin, scores, side, selfDistance } = built;
    records.push(
      await writeJpeg(file, jpeg, {
        kind: 'face',
        sourceFile,
        width: side,
        height: side,
        sourceBox: roundBox(face.box),
        sourceScore: round(face.score),
        crop: { ...region, margin },
        cropScores: scores,
        distanceToSourceFace: round(selfDistance),
      }),
    );
  }
  return records;
}

/** Widest margin whose crop every engine sees as exactly one confident face, the same one as in the photo. */
async function cropSingleFace(engines: FaceEngine[], sourcePath: string, image: RgbImage, face: FaceFinding) {
  for (const margin of MARGINS) {
    const region = cropRegion(face.box, margin, image);
    const side = Math.min(Math.max(region.size, 400), 600);
    const jpeg = await sharp(sourcePath)
      .rotate()
      .extract({ left: region.left, top: region.top, width: region.size, height: region.size })
      .resize(side, side)
      .jpeg({ quality: 88, mozjpeg: true })
      .toBuffer();
    const decoded = await decode(jpeg);
    const checks = await Promise.all(engines.map((engine) => engine.detectFaces(decoded)));
    const single = checks.every((found) => found.length === 1) && checks[0]![0]!.score >= MIN_CROP_SCORE;
    const selfDistance = single ? distance(checks[0]![0]!.embedding, face.embedding) : Infinity;
    if (selfDistance <= MAX_SELF_DISTANCE) {
      const scores = Object.fromEntries(checks.map((found, i) => [engines[i]!.info.detector, round(found[0]!.score)]));
      return { jpeg, region, margin, selfDistance, scores, side };
    }
  }
  return undefined;
}

async function buildGroup(engine: FaceEngine): Promise<SampleRecord> {
  const jpeg = await sharp(resolvePackageFile(SOURCE_PACKAGE, `demo/${GROUP_SOURCE}`))
    .rotate()
    .resize({ width: GROUP_WIDTH })
    .jpeg({ quality: 88, mozjpeg: true })
    .toBuffer();
  const image = await decode(jpeg);
  const faces = await engine.detectFaces(image);
  if (faces.length < 2) throw new Error(`group-${GROUP_SOURCE} shows ${faces.length} face(s) after downscaling; need several`);
  return writeJpeg(`group-${GROUP_SOURCE}`, jpeg, {
    kind: 'group',
    sourceFile: `demo/${GROUP_SOURCE}`,
    width: image.width,
    height: image.height,
    faceCount: faces.length,
    boxes: faces.map((face) => roundBox(face.box)),
  });
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const roundBox = (box: Box) => ({ x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) });

await mkdir(OUT_DIR, { recursive: true });
for (const name of await readdir(OUT_DIR)) if (name.endsWith('.jpg')) await rm(join(OUT_DIR, name));
// SSD finds the faces in the photos; every crop must also pass Tiny so tests may use either detector.
const engines = [
  await createFaceApiEngine({ backend: 'auto', detector: 'ssd' }),
  await createFaceApiEngine({ backend: 'auto', detector: 'tiny' }),
];
try {
  const images: SampleRecord[] = [];
  for (const n of [1, 2, 3, 4, 5, 6]) images.push(...(await buildFaceCrops(engines, `demo/sample${n}.jpg`, n)));
  images.push(await buildGroup(engines[0]!));
  const manifest = {
    $comment: 'Generated by `npx tsx samples/build-samples.ts`; see samples/README.md. Boxes are in source pixels.',
    source: { package: SOURCE_PACKAGE, version: packageVersion(SOURCE_PACKAGE), licence: 'MIT', homepage: 'https://github.com/vladmandic/face-api' },
    checkedWith: engines.map((engine) => ({ ...engine.info, minDetectionScore: 0.5 })),
    images,
  };
  await writeFile(join(OUT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const total = images.reduce((sum, image) => sum + image.bytes, 0);
  console.log(`${images.length} images, ${(total / 1024).toFixed(0)} KiB in ${OUT_DIR}`);
} finally {
  for (const engine of engines) await engine.dispose();
}
