/**
 * Tiled search for faces too small for BlazeFace's 256 x 256 view of a whole image (a printed portrait on a
 * photographed page): overlapping square tiles, and the overlap test that merges one face seen in two tiles.
 */
import type { Box, RgbImage } from '../face-engine.js';

/** Images smaller than this (longer side, px) are not searched in tiles: BlazeFace already sees faces of ~25 px there. */
export const TILE_MIN_IMAGE_SIDE = 512;

/** Overlapping square tiles of half the longer side (at most the shorter side), stepping by half a tile, covering the image. */
export function tilesOf(width: number, height: number): Box[] {
  const side = Math.min(Math.ceil(Math.max(width, height) / 2), width, height);
  // Evenly spread starts, at most half a tile apart, the last flush with the far edge.
  const starts = (extent: number) => {
    const count = Math.ceil((extent - side) / (side / 2) - 1e-9) + 1;
    return Array.from({ length: count }, (_, i) => (count === 1 ? 0 : Math.round((i * (extent - side)) / (count - 1))));
  };
  return starts(height).flatMap((y) => starts(width).map((x) => ({ x, y, width: side, height: side })));
}

/** The pixels of `tile` (inside the image) as an image of their own. */
export function cropImage(image: RgbImage, tile: Box): RgbImage {
  const data = new Uint8Array(tile.width * tile.height * 3);
  for (let row = 0; row < tile.height; row++) {
    const from = ((tile.y + row) * image.width + tile.x) * 3;
    data.set(image.data.subarray(from, from + tile.width * 3), row * tile.width * 3);
  }
  return { data, width: tile.width, height: tile.height };
}

/** True when `box` overlaps one of `boxes` by intersection over union above 0.3 (the same face). */
export function overlapsAny(box: Box, boxes: readonly Box[]): boolean {
  return boxes.some((other) => iou(box, other) > 0.3);
}

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}
