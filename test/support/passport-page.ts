/**
 * Test fixtures: a "photo of a passport data page" whose portrait is a given person's face, for end-to-end tests
 * of enrolment (selfie vs document portrait).
 *
 * Everything is built in memory at test time: the face photos and specimen documents are third-party images that
 * must not be copied into the repository. {@link makeSyntheticPassportPage} uses no third-party document at all.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { datasetsAvailable, documentPath, documentSpecimen, identityFaceBox, type FaceBox } from './datasets.js';

/**
 * Default specimen: the ICAO "Utopia" TD3 passport page from PassportEye's tests. Plain white background (no
 * guilloche over the portrait), one face only, portrait face box about 153 x 208 px in a 1334 x 880 page.
 */
export const DEFAULT_SPECIMEN = 'passporteye/tests_passport_td3_jpg.jpg';

/** A rectangle in whole pixels, as sharp's `extract` and `composite` take it. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Clockwise rotation applied to the finished page, as a phone photo taken sideways or upside down. */
export type PageRotation = 0 | 90 | 180 | 270;

/** Options of {@link makePassportPage}. */
export interface PassportPageOptions {
  /** The face photo: a file path or encoded image bytes (any format sharp reads; EXIF orientation is applied). */
  facePhoto: string | Buffer;
  /** Document image, path relative to `documents/` in the datasets folder. Default {@link DEFAULT_SPECIMEN}. */
  specimen?: string;
  /**
   * Face box in the face photo (pixels of the EXIF-oriented image). Default: the manifest's hint when the photo is
   * an `identities/` file, else a centre/top crop of the photo (fine for tight, centred selfies only).
   */
  faceBox?: FaceBox;
  /** How much larger than the specimen's face box the replaced area is (and the face crop around its face). 1.3. */
  portraitScale?: number;
  /** Clockwise rotation of the output. Default 0. */
  rotate?: PageRotation;
  /** JPEG quality. Default 90. */
  quality?: number;
}

/** Where a specimen's portrait gets replaced, in the pixels of its EXIF-oriented image, and that image's size. */
export interface SpecimenPortrait {
  area: Rect;
  pageWidth: number;
  pageHeight: number;
}

const DEFAULT_PORTRAIT_SCALE = 1.3;

/**
 * The area {@link makePassportPage} replaces: the manifest's `yunet_largest_face` grown by `portraitScale` around
 * its centre and clipped to the page. The manifest's boxes are in pixels of the EXIF-oriented image at its stored
 * size (not of the <=640 px copy YuNet ran on), so they are used as they are.
 */
export async function specimenPortraitArea(
  specimen: string = DEFAULT_SPECIMEN,
  portraitScale: number = DEFAULT_PORTRAIT_SCALE,
): Promise<SpecimenPortrait> {
  const box = documentSpecimen(specimen).yunet_largest_face;
  if (!box) throw new Error(`document "${specimen}" has no portrait box in documents/manifest.json`);
  const { autoOrient } = await sharp(documentPath(specimen)).metadata();
  const area = clipRect(scaleBox(box, portraitScale, box.w / box.h), autoOrient.width, autoOrient.height);
  return { area, pageWidth: autoOrient.width, pageHeight: autoOrient.height };
}

/**
 * A JPEG "photo" of a specimen document whose portrait area carries `facePhoto`'s face. The page keeps the
 * specimen's (EXIF-oriented) size; `rotate` 90 or 270 swaps width and height.
 */
export async function makePassportPage(options: PassportPageOptions): Promise<Buffer> {
  const specimen = options.specimen ?? DEFAULT_SPECIMEN;
  const scale = options.portraitScale ?? DEFAULT_PORTRAIT_SCALE;
  const { area } = await specimenPortraitArea(specimen, scale);
  const photo = await loadPhoto(options.facePhoto);
  const faceBox = options.faceBox ?? manifestFaceBox(options.facePhoto);
  const face = await cropFace(photo, area.width, area.height, faceBox, scale);
  const page = await sharp(documentPath(specimen), { autoOrient: true })
    .flatten({ background: '#ffffff' })
    .composite([{ input: face, left: area.left, top: area.top }])
    .png()
    .toBuffer();
  return finish(page, options.rotate ?? 0, options.quality ?? 90);
}

/** The fake holder printed on a synthetic page; all optional. */
export interface SyntheticFields {
  surname: string;
  givenNames: string;
  documentNumber: string;
  /** YYMMDD */
  birthDate: string;
  /** YYMMDD */
  expiryDate: string;
  sex: 'M' | 'F';
}

/** Options of {@link makeSyntheticPassportPage}. */
export interface SyntheticPassportOptions {
  /** Face box in the face photo; default centre/top crop (see {@link PassportPageOptions.faceBox}). */
  faceBox?: FaceBox;
  fields?: Partial<SyntheticFields>;
  rotate?: PageRotation;
  quality?: number;
}

/** Size of the synthetic page and where its portrait sits (before rotation). ICAO photo proportions 35:45. */
export const SYNTHETIC_PAGE = { width: 1000, height: 704, portrait: { left: 50, top: 150, width: 270, height: 347 } };

/** A fake passport data page drawn from scratch with the face on the left; safe to ship built from our own faces. */
export async function makeSyntheticPassportPage(
  facePhoto: string | Buffer,
  options: SyntheticPassportOptions = {},
): Promise<Buffer> {
  const { portrait } = SYNTHETIC_PAGE;
  const photo = await loadPhoto(facePhoto);
  const faceBox = options.faceBox ?? manifestFaceBox(facePhoto);
  // A passport photo shows head and shoulders: the face box takes about 60 % of the photo's height.
  const face = await cropFace(photo, portrait.width, portrait.height, faceBox, 1.7);
  const fields: SyntheticFields = {
    surname: 'NAMUNA',
    givenNames: 'ZINDA',
    documentNumber: '400000001',
    birthDate: '520314',
    expiryDate: '310101',
    sex: 'F',
    ...options.fields,
  };
  const page = await sharp(Buffer.from(syntheticPageSvg(fields)))
    .flatten({ background: '#ffffff' })
    .composite([{ input: face, left: portrait.left, top: portrait.top }])
    .png()
    .toBuffer();
  return finish(page, options.rotate ?? 0, options.quality ?? 90);
}

function syntheticPageSvg(f: SyntheticFields): string {
  const { width, height, portrait } = SYNTHETIC_PAGE;
  const mrz = td3Mrz(f);
  const field = (y: number, label: string, value: string, x = 360): string =>
    `<text x="${x}" y="${y}" class="label">${xml(label)}</text><text x="${x}" y="${y + 30}" class="value">${xml(value)}</text>`;
  const waves = Array.from({ length: 14 }, (_, i) => {
    const y = 120 + i * 34;
    return `<path d="M0 ${y} C250 ${y - 40} 500 ${y + 40} 750 ${y} S1000 ${y - 30} 1000 ${y}" />`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<style>
  .title { font: bold 36px 'DejaVu Sans', sans-serif; fill: #1d3557; }
  .label { font: 15px 'DejaVu Sans', sans-serif; fill: #5a6b7b; }
  .value { font: bold 24px 'DejaVu Sans', sans-serif; fill: #111; }
  .mrz { font: 31px 'DejaVu Sans Mono', 'OCR-B', monospace; fill: #111; }
</style>
<rect width="100%" height="100%" fill="#eef4ec" />
<g fill="none" stroke="#d3e2d6" stroke-width="2">${waves}</g>
<text x="50" y="70" class="title">PASSPORT / ШИНОСНОМА</text>
<text x="50" y="105" class="label">REPUBLIC OF UTOPIA · SPECIMEN FOR TESTS · NOT A REAL DOCUMENT</text>
<rect x="${portrait.left - 3}" y="${portrait.top - 3}" width="${portrait.width + 6}" height="${portrait.height + 6}" fill="#fff" stroke="#9aa8a0" stroke-width="2" />
${field(160, 'Type / Навъ', 'P')}${field(160, 'Code / Рамз', 'UTO', 520)}${field(160, 'Passport No. / Рақами', f.documentNumber, 700)}
${field(230, 'Surname / Насаб', f.surname)}
${field(300, 'Given names / Ном', f.givenNames)}
${field(370, 'Date of birth / Санаи таваллуд', yymmdd(f.birthDate))}${field(370, 'Sex / Ҷинс', f.sex, 760)}
${field(440, 'Date of expiry / Мӯҳлат', yymmdd(f.expiryDate))}${field(440, 'Authority / Мақомот', 'ZINDA TEST', 760)}
<text x="50" y="610" class="mrz" textLength="900" lengthAdjust="spacing">${xml(mrz[0])}</text>
<text x="50" y="660" class="mrz" textLength="900" lengthAdjust="spacing">${xml(mrz[1])}</text>
</svg>`;
}

/** Two TD3 machine-readable lines with correct ICAO 9303 check digits. */
function td3Mrz(f: SyntheticFields): [string, string] {
  const name = `${mrzText(f.surname)}<<${mrzText(f.givenNames)}`;
  const line1 = `P<UTO${name}`.padEnd(44, '<').slice(0, 44);
  const doc = mrzText(f.documentNumber).padEnd(9, '<').slice(0, 9);
  const personal = '<'.repeat(14);
  const parts = [doc + checkDigit(doc), f.birthDate + checkDigit(f.birthDate), f.expiryDate + checkDigit(f.expiryDate)];
  const composite = `${parts[0]}${parts[1]}${parts[2]}${personal}${checkDigit(personal)}`;
  const line2 = `${parts[0]}UTO${parts[1]}${f.sex}${parts[2]}${personal}${checkDigit(personal)}${checkDigit(composite)}`;
  return [line1, line2];
}

function mrzText(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]+/g, '<');
}

function checkDigit(s: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (const [i, ch] of [...s].entries()) {
    const value = ch === '<' ? 0 : /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += value * (weights[i % 3] ?? 0);
  }
  return String(sum % 10);
}

function yymmdd(d: string): string {
  return `${d.slice(4, 6)}.${d.slice(2, 4)}.${d.slice(0, 2)}`;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function loadPhoto(photo: string | Buffer): Promise<Buffer> {
  return typeof photo === 'string' ? readFile(photo) : photo;
}

function manifestFaceBox(photo: string | Buffer): FaceBox | undefined {
  return typeof photo === 'string' && datasetsAvailable() ? identityFaceBox(photo) : undefined;
}

/**
 * Cuts a `width` x `height` picture of the face out of `photo`: the face box grown by `margin` and widened or
 * heightened to the target's aspect ratio, or without a box the largest such crop, centred across and a little
 * above the middle (faces sit in the upper part of portraits). A crop that would leave the photo is shrunk and
 * shifted inside it, so a tight face crop just comes out larger.
 */
async function cropFace(photo: Buffer, width: number, height: number, box: FaceBox | undefined, margin: number) {
  const { data, info } = await sharp(photo, { autoOrient: true })
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const aspect = width / height;
  const crop = box
    ? scaleBox(box, margin, aspect)
    : { cx: info.width / 2, cy: info.height * 0.4, w: Math.min(info.width, info.height * aspect), h: Infinity };
  if (!box) crop.h = crop.w / aspect;
  const fit = Math.min(1, info.width / crop.w, info.height / crop.h);
  const w = Math.max(1, Math.floor(crop.w * fit));
  const h = Math.max(1, Math.floor(crop.h * fit));
  const left = clamp(Math.round(crop.cx - w / 2), 0, info.width - w);
  const top = clamp(Math.round(crop.cy - h / 2), 0, info.height - h);
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .extract({ left, top, width: w, height: h })
    .resize(width, height, { fit: 'fill' })
    .png()
    .toBuffer();
}

/** The box grown by `scale` around its centre, then widened or heightened (never cut) to `aspect` = w / h. */
function scaleBox(box: FaceBox, scale: number, aspect: number): { cx: number; cy: number; w: number; h: number } {
  let w = box.w * scale;
  let h = box.h * scale;
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  return { cx: box.x + box.w / 2, cy: box.y + box.h / 2, w, h };
}

function clipRect(r: { cx: number; cy: number; w: number; h: number }, width: number, height: number): Rect {
  const left = clamp(Math.round(r.cx - r.w / 2), 0, width - 1);
  const top = clamp(Math.round(r.cy - r.h / 2), 0, height - 1);
  const right = clamp(Math.round(r.cx + r.w / 2), left + 1, width);
  const bottom = clamp(Math.round(r.cy + r.h / 2), top + 1, height);
  return { left, top, width: right - left, height: bottom - top };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

async function finish(page: Buffer, rotate: PageRotation, quality: number): Promise<Buffer> {
  return sharp(page).rotate(rotate).jpeg({ quality }).toBuffer();
}
