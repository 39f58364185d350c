import sharp from 'sharp';

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Stamps who is looking, and when, on an image shown to a person: a strip across the bottom, and the same text
 * tiled faintly and diagonally over the whole picture, face included, so that a screenshot or a photo of the
 * screen still names its source after the strip is cropped away.
 */
export async function watermark(jpeg: Buffer, text: string): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  const size = Math.max(12, Math.round(Math.min(width, height) / 28));
  const label = escapeXml(text);
  const stepX = Math.max(size * text.length * 0.62, 120);
  const stepY = size * 5;
  const tiles: string[] = [];
  for (let y = -height; y < height * 2; y += stepY) {
    for (let x = -width, row = Math.round(y / stepY); x < width * 2; x += stepX) {
      tiles.push(`<text x="${Math.round(x + (row % 2) * stepX / 2)}" y="${Math.round(y)}">${label}</text>`);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<g transform="rotate(-30 ${width / 2} ${height / 2})" font-family="sans-serif" font-size="${size}" fill="white" fill-opacity="0.16" stroke="black" stroke-opacity="0.08">${tiles.join('')}</g>
<rect x="0" y="${height - size * 1.8}" width="${width}" height="${size * 1.8}" fill="black" fill-opacity="0.45"/>
<text x="${size / 2}" y="${height - size * 0.55}" font-family="sans-serif" font-size="${size}" fill="white" fill-opacity="0.9">${label}</text></svg>`;
  return sharp(jpeg).composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).jpeg({ quality: 90 }).toBuffer();
}
