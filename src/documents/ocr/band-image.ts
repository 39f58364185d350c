import sharp from 'sharp';
import type { GrayImage } from './gray-image.js';
import type { MrzBand } from './mrz-band-finder.js';

// Never keep decoded document pixels in libvips' cache between requests.
sharp.cache(false);

/** The page in grey levels: the full-size copy the band is cut from and a small copy to search. */
export interface PageImages {
  readonly full: GrayImage;
  readonly work: GrayImage;
}

/** Longest side of the copy the band finder searches: its kernels are tuned for about this size. */
export const WORK_SIDE = 1000;

export async function decodePage(image: Buffer): Promise<PageImages> {
  const { data, info } = await sharp(image).grayscale().raw().toBuffer({ resolveWithObject: true });
  const full: GrayImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  const scale = WORK_SIDE / Math.max(info.width, info.height);
  const work = await sharp(full.data, { raw: { width: full.width, height: full.height, channels: 1 } })
    .resize({ width: Math.max(1, Math.round(full.width * scale)), height: Math.max(1, Math.round(full.height * scale)), kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    full,
    work: { data: new Uint8Array(work.data.buffer, work.data.byteOffset, work.data.byteLength), width: work.info.width, height: work.info.height },
  };
}

/**
 * Height in pixels the MRZ characters are scaled to before recognition. Measured on the specimen documents
 * (scripts/mrz-read-rate.ts): 26 px read 37 of 67 MRZs exactly, 34 px 36, 44 px 42, 52 px 41, 60 px 42.
 */
export const TARGET_LINE_HEIGHT = 44;

/**
 * Cuts the band out of the full-size page, turned upright (`turns` quarter turns clockwise, plus the band's own
 * slant), scaled to a fixed character height, as a PNG for the OCR and as grey pixels for shape tests.
 */
export async function cutBand(
  page: PageImages, band: MrzBand, flip: boolean, reach = 0, lineHeight = TARGET_LINE_HEIGHT,
): Promise<{ png: Buffer; gray: GrayImage }> {
  const { full, work } = page;
  const turns = ((band.turns + (flip ? 2 : 0)) % 4) as 0 | 1 | 2 | 3;
  // Band box in the rotated working image; when flipped, in the frame turned a further half turn.
  let { x0, y0, x1, y1 } = band;
  if (flip) [x0, y0, x1, y1] = [band.width - 1 - x1, band.height - 1 - y1, band.width - 1 - x0, band.height - 1 - y0];
  const scale = Math.max(full.width, full.height) / Math.max(work.width, work.height);
  const fullW = turns % 2 === 0 ? full.width : full.height;
  const fullH = turns % 2 === 0 ? full.height : full.width;
  const lineH = (band.lines.reduce((s, l) => s + (l.y1 - l.y0 + 1), 0) / band.lines.length) * scale;
  const padX = lineH * 1.5;
  // `reach`: how many further line pitches above and below to include (a line the band finder missed).
  const pitch = band.lines.length > 1
    ? (((band.lines[band.lines.length - 1]!.y0 + band.lines[band.lines.length - 1]!.y1) - (band.lines[0]!.y0 + band.lines[0]!.y1)) / 2 / (band.lines.length - 1)) * scale
    : lineH * 1.8;
  const padY = lineH * 0.7 + reach * pitch;
  const left = Math.max(0, Math.floor(x0 * scale - padX));
  const top = Math.max(0, Math.floor(y0 * scale - padY));
  const width = Math.min(fullW - left, Math.ceil((x1 - x0 + 1) * scale + 2 * padX));
  const height = Math.min(fullH - top, Math.ceil((y1 - y0 + 1) * scale + 2 * padY));
  const factor = Math.min(4, Math.max(0.25, lineHeight / lineH));
  const angle = (Math.atan(band.slope) * 180) / Math.PI;
  let pipeline = sharp(full.data, { raw: { width: full.width, height: full.height, channels: 1 } })
    .rotate(turns * 90)
    .extract({ left, top, width, height });
  const { data: cut, info: cutInfo } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  pipeline = sharp(cut, { raw: { width: cutInfo.width, height: cutInfo.height, channels: 1 } });
  if (Math.abs(angle) > 0.4) pipeline = pipeline.rotate(-angle, { background: '#ffffff' });
  const { data, info } = await pipeline
    .resize({ width: Math.round(cutInfo.width * factor), kernel: 'cubic' })
    .normalise()
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const gray: GrayImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
  return { png, gray };
}
