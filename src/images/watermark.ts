import sharp from 'sharp';

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Stamps who is looking, and when, across the bottom of an image shown to a person: a screenshot or
 * photo of the screen then names its source.
 */
export async function watermark(jpeg: Buffer, text: string): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  const size = Math.max(12, Math.round(Math.min(width, height) / 28));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect x="0" y="${height - size * 1.8}" width="${width}" height="${size * 1.8}" fill="black" fill-opacity="0.45"/>
<text x="${size / 2}" y="${height - size * 0.55}" font-family="sans-serif" font-size="${size}" fill="white" fill-opacity="0.9">${escapeXml(text)}</text></svg>`;
  return sharp(jpeg).composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).jpeg({ quality: 90 }).toBuffer();
}
