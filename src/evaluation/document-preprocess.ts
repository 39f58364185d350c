/**
 * Candidate preprocessing of document photos, tried by `npm run eval --preprocess <name>`. Each wraps the ImageOps
 * that analyseDocument uses (the harness gives these ops to documents only), so the rest of the workers' path is
 * unchanged: most act on the enlarged portrait crop the embedding is computed from; the page-* ones also on the
 * whole page the portrait is first searched in.
 */
import sharp from 'sharp';
import type { ImageOps } from '../domain/verification/face-analysis.js';
import type { RgbImage } from '../engine/face-engine.js';

export const DOCUMENT_PREPROCESSING = [
  'none', 'normalise', 'clahe', 'median', 'grayscale', 'clahe-grayscale', 'page-clahe', 'page-grayscale',
] as const;
export type DocumentPreprocessing = (typeof DOCUMENT_PREPROCESSING)[number];

/** What each candidate does, for the report. */
export const PREPROCESSING_NOTES: Readonly<Record<DocumentPreprocessing, string>> = {
  none: 'production: the portrait crop as cropped and scaled (lanczos3)',
  normalise: 'contrast stretch of the crop (1st-99th percentile to full range), against faded or washed-out prints',
  clahe: 'local histogram equalisation (CLAHE, 1/8-crop tiles), against uneven light and glare on the laminate',
  median: '3x3 median filter, against print rasters and guilloche lines over the face',
  grayscale: 'grey crop (three equal channels), against colour casts of print and security inks',
  'clahe-grayscale': 'CLAHE, then grey',
  'page-clahe': 'CLAHE on the whole page before the portrait is searched, and on the crop: against security print over the face',
  'page-grayscale': 'grey page and crop: coloured guilloche and holograms lose their colour contrast against the face',
};

export function documentOps(base: ImageOps, preprocessing: DocumentPreprocessing): ImageOps {
  if (preprocessing === 'none') return base;
  const step = preprocessing === 'page-clahe' ? 'clahe' : preprocessing === 'page-grayscale' ? 'grayscale' : preprocessing;
  const wholePage = preprocessing.startsWith('page-');
  return {
    decodeRgb: wholePage ? async (image) => preprocess(await base.decodeRgb(image), step) : base.decodeRgb,
    async cropRgb(image, region, targetSide) {
      const crop = await base.cropRgb(image, region, targetSide);
      return { ...crop, rgb: await preprocess(crop.rgb, step) };
    },
  };
}

async function preprocess(rgb: RgbImage, preprocessing: Exclude<DocumentPreprocessing, 'none' | 'page-clahe' | 'page-grayscale'>): Promise<RgbImage> {
  const { width, height } = rgb;
  let pipeline = sharp(Buffer.from(rgb.data.buffer, rgb.data.byteOffset, rgb.data.byteLength), { raw: { width, height, channels: 3 } });
  const tile = Math.max(3, Math.round(Math.min(width, height) / 8));
  if (preprocessing === 'normalise') pipeline = pipeline.normalise({ lower: 1, upper: 99 });
  if (preprocessing === 'clahe' || preprocessing === 'clahe-grayscale') pipeline = pipeline.clahe({ width: tile, height: tile, maxSlope: 3 });
  if (preprocessing === 'median') pipeline = pipeline.median(3);
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (info.channels !== 3) throw new Error(`preprocessing gave ${info.channels} channels`);
  if (preprocessing === 'grayscale' || preprocessing === 'clahe-grayscale') out = grey(out);
  return { data: out, width: info.width, height: info.height };
}

/** Rec. 601 luma into all three channels: the engines keep their 3-channel input. */
function grey(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    const y = Math.round(0.299 * (data[i] as number) + 0.587 * (data[i + 1] as number) + 0.114 * (data[i + 2] as number));
    out[i] = y;
    out[i + 1] = y;
    out[i + 2] = y;
  }
  return out;
}
