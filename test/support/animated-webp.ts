import sharp from 'sharp';

const u24 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff]);
const chunk = (fourcc: string, data: Buffer) => {
  const pad = data.length % 2 ? Buffer.from([0]) : Buffer.alloc(0);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(data.length);
  return Buffer.concat([Buffer.from(fourcc, 'latin1'), size, data, pad]);
};

/**
 * A two-frame animated WebP, assembled by hand from a still frame (RIFF: VP8X + ANIM + ANMF chunks),
 * because the image library here writes only still WebP files.
 */
export async function animatedWebp(image: Buffer, side = 96): Promise<Buffer> {
  const still = await sharp(image).resize(side, side, { fit: 'cover' }).webp({ quality: 70 }).toBuffer();
  const vp8Start = still.indexOf(Buffer.from('VP8 ', 'latin1'));
  const vp8 = still.subarray(vp8Start, vp8Start + 8 + still.readUInt32LE(vp8Start + 4));
  const frame = () => chunk('ANMF', Buffer.concat([u24(0), u24(0), u24(side - 1), u24(side - 1), u24(100), Buffer.from([0]), vp8]));
  const vp8x = chunk('VP8X', Buffer.concat([Buffer.from([0x02, 0, 0, 0]), u24(side - 1), u24(side - 1)]));
  const anim = chunk('ANIM', Buffer.from([0, 0, 0, 0, 0, 0]));
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), vp8x, anim, frame(), frame()]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, body]);
}
