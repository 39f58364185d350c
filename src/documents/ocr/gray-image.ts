/**
 * A small set of grey-level image operations (8-bit, row-major) for finding the MRZ band: rotation by quarter
 * turns, separable min/max filters (van Herk / Gil-Werman, constant time per pixel), a horizontal Sobel gradient,
 * Otsu's threshold and connected components. Plain typed arrays: nothing here allocates per pixel.
 */

/** One channel, 0 = black, 255 = white (or any non-negative measure when used as a map). */
export interface GrayImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Rotated a quarter turn clockwise `turns` times. */
export function rotateQuarter(img: GrayImage, turns: 0 | 1 | 2 | 3): GrayImage {
  if (turns === 0) return img;
  const { data, width: w, height: h } = img;
  const out = new Uint8Array(data.length);
  if (turns === 2) {
    for (let i = 0, n = data.length; i < n; i += 1) out[n - 1 - i] = data[i]!;
    return { data: out, width: w, height: h };
  }
  // Clockwise: source (x, y) goes to (h - 1 - y, x) in a h-wide image; counter-clockwise to (y, w - 1 - x).
  for (let y = 0; y < h; y += 1) {
    const row = y * w;
    for (let x = 0; x < w; x += 1) {
      const v = data[row + x]!;
      if (turns === 1) out[x * h + (h - 1 - y)] = v;
      else out[(w - 1 - x) * h + y] = v;
    }
  }
  return { data: out, width: h, height: w };
}

/**
 * Running maximum (or minimum, on inverted values) over a centred window of `size` samples, one line at a time
 * (van Herk / Gil-Werman: block prefix and suffix maxima, two comparisons per sample whatever the window).
 * Rows are filtered in place along x; columns are filtered a whole row at a time, which keeps memory access linear.
 */
function maxFilter(src: Uint8Array, w: number, h: number, kw: number, kh: number): Uint8Array {
  let cur = src;
  if (kw > 1) {
    const r = kw >> 1;
    const n = w + 2 * r;
    const g = new Uint8Array(n);
    const f = new Uint8Array(n);
    const b = new Uint8Array(n);
    const out = new Uint8Array(src.length);
    for (let y = 0; y < h; y += 1) {
      const row = y * w;
      g.fill(0);
      g.set(cur.subarray(row, row + w), r);
      for (let i = 0; i < n; i += 1) {
        const v = g[i]!;
        f[i] = i % kw === 0 ? v : f[i - 1]! > v ? f[i - 1]! : v;
      }
      for (let i = n - 1; i >= 0; i -= 1) {
        const v = g[i]!;
        b[i] = i === n - 1 || (i + 1) % kw === 0 ? v : b[i + 1]! > v ? b[i + 1]! : v;
      }
      for (let k = 0; k < w; k += 1) {
        const a = b[k]!;
        const c = f[Math.min(k + kw - 1, n - 1)]!;
        out[row + k] = a > c ? a : c;
      }
    }
    cur = out;
  }
  if (kh > 1) {
    const r = kh >> 1;
    const n = h + 2 * r;
    // Padded rows: padded row i is image row i - r, or zeros outside.
    const g = new Uint8Array(n * w);
    g.set(cur, r * w);
    const f = new Uint8Array(n * w);
    const b = new Uint8Array(n * w);
    for (let i = 0; i < n; i += 1) {
      const o = i * w;
      if (i % kh === 0) f.set(g.subarray(o, o + w), o);
      else for (let x = 0; x < w; x += 1) { const v = g[o + x]!, p = f[o - w + x]!; f[o + x] = p > v ? p : v; }
    }
    for (let i = n - 1; i >= 0; i -= 1) {
      const o = i * w;
      if (i === n - 1 || (i + 1) % kh === 0) b.set(g.subarray(o, o + w), o);
      else for (let x = 0; x < w; x += 1) { const v = g[o + x]!, p = b[o + w + x]!; b[o + x] = p > v ? p : v; }
    }
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y += 1) {
      const ob = y * w;
      const of = Math.min(y + kh - 1, n - 1) * w;
      for (let x = 0; x < w; x += 1) { const a = b[ob + x]!, c = f[of + x]!; out[ob + x] = a > c ? a : c; }
    }
    cur = out;
  }
  return cur === src ? src.slice() : cur;
}

function invert(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 1) out[i] = 255 - data[i]!;
  return out;
}

/** Grey-level dilation (local maximum) with a kw x kh rectangle (odd sizes). */
export function dilate(img: GrayImage, kw: number, kh: number): GrayImage {
  return { data: maxFilter(img.data, img.width, img.height, Math.max(1, kw | 1), Math.max(1, kh | 1)), width: img.width, height: img.height };
}

/** Grey-level erosion (local minimum) with a kw x kh rectangle (odd sizes). */
export function erode(img: GrayImage, kw: number, kh: number): GrayImage {
  const data = invert(maxFilter(invert(img.data), img.width, img.height, Math.max(1, kw | 1), Math.max(1, kh | 1)));
  return { data, width: img.width, height: img.height };
}

/** Dilation then erosion: fills dark gaps narrower than the rectangle. */
export const close = (img: GrayImage, kw: number, kh: number): GrayImage => erode(dilate(img, kw, kh), kw, kh);
/** Erosion then dilation: removes bright specks smaller than the rectangle. */
export const open = (img: GrayImage, kw: number, kh: number): GrayImage => dilate(erode(img, kw, kh), kw, kh);

/** Black-hat: how much darker each pixel is than its closing; dark strokes narrower than the rectangle stand out. */
export function blackHat(img: GrayImage, kw: number, kh: number): GrayImage {
  const closed = close(img, kw, kh);
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i += 1) out[i] = closed.data[i]! - img.data[i]!;
  return { data: out, width: img.width, height: img.height };
}

/**
 * |d/dx| (Sobel), scaled so that the 99.5th percentile is 255 (clamped above): one very strong edge, such as the
 * border of a scanned card, must not flatten every other edge to nothing.
 */
export function horizontalGradient(img: GrayImage): GrayImage {
  const { data, width: w, height: h } = img;
  const grad = new Uint16Array(data.length);
  const hist = new Uint32Array(1021);
  for (let y = 1; y < h - 1; y += 1) {
    for (let x = 1; x < w - 1; x += 1) {
      const i = y * w + x;
      const v = Math.abs(
        data[i - w + 1]! + 2 * data[i + 1]! + data[i + w + 1]! - data[i - w - 1]! - 2 * data[i - 1]! - data[i + w - 1]!,
      );
      grad[i] = v;
      hist[v]! += 1;
    }
  }
  let remaining = Math.floor(data.length * 0.005);
  let top = 1020;
  while (top > 1 && remaining > 0) {
    remaining -= hist[top]!;
    top -= 1;
  }
  const out = new Uint8Array(data.length);
  for (let i = 0; i < out.length; i += 1) out[i] = Math.min(255, Math.round((grad[i]! * 255) / top));
  return { data: out, width: w, height: h };
}

/** Otsu's threshold of an 8-bit image. */
export function otsuThreshold(img: GrayImage): number {
  const hist = new Float64Array(256);
  for (const v of img.data) hist[v]! += 1;
  const total = img.data.length;
  let sumAll = 0;
  for (let t = 0; t < 256; t += 1) sumAll += t * hist[t]!;
  let sumB = 0;
  let weightB = 0;
  let best = 0;
  let bestVar = -1;
  for (let t = 0; t < 256; t += 1) {
    weightB += hist[t]!;
    if (weightB === 0) continue;
    const weightF = total - weightB;
    if (weightF === 0) break;
    sumB += t * hist[t]!;
    const meanB = sumB / weightB;
    const meanF = (sumAll - sumB) / weightF;
    const between = weightB * weightF * (meanB - meanF) ** 2;
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best;
}

/** 255 where the value is above `t`, else 0. */
export function threshold(img: GrayImage, t: number): GrayImage {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i += 1) out[i] = img.data[i]! > t ? 255 : 0;
  return { data: out, width: img.width, height: img.height };
}

/** A connected region of foreground pixels with the moments needed for its size, place and slant. */
export interface Component {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly area: number;
  /** Slope dy/dx of the least-squares line through its pixels. */
  readonly slope: number;
}

/** 8-connected components of the non-zero pixels, with the label image (-1: background). */
export function connectedComponents(img: GrayImage): Component[] {
  return labelComponents(img).components;
}

export function labelComponents(img: GrayImage): { components: Component[]; labels: Int32Array } {
  const { data, width: w, height: h } = img;
  const labels = new Int32Array(w * h).fill(-1);
  const stack = new Int32Array(w * h);
  const out: Component[] = [];
  for (let start = 0; start < data.length; start += 1) {
    if (data[start] === 0 || labels[start] !== -1) continue;
    let top = 0;
    stack[top++] = start;
    labels[start] = out.length;
    let x0 = w, y0 = h, x1 = 0, y1 = 0, area = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % w;
      const y = (p - x) / w;
      area += 1;
      sx += x; sy += y; sxx += x * x; sxy += x * y;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const q = ny * w + nx;
          if (data[q] !== 0 && labels[q] === -1) {
            labels[q] = out.length;
            stack[top++] = q;
          }
        }
      }
    }
    const varX = sxx / area - (sx / area) ** 2;
    const covXY = sxy / area - (sx / area) * (sy / area);
    out.push({ x0, y0, x1, y1, area, slope: varX > 0 ? covXY / varX : 0 });
  }
  return { components: out, labels };
}

/**
 * The rows where a component is at least half as wide as at its widest: the body of a text line without what
 * touches it from above or below (a stamp, a guilloche stroke).
 */
export function componentCore(labels: Int32Array, width: number, label: number, c: Component): { y0: number; y1: number } {
  const counts = new Uint32Array(c.y1 - c.y0 + 1);
  let peak = 0;
  for (let y = c.y0; y <= c.y1; y += 1) {
    let n = 0;
    for (let x = c.x0; x <= c.x1; x += 1) if (labels[y * width + x] === label) n += 1;
    counts[y - c.y0] = n;
    if (n > peak) peak = n;
  }
  let y0 = c.y0;
  let y1 = c.y1;
  while (y0 < y1 && counts[y0 - c.y0]! < peak / 2) y0 += 1;
  while (y1 > y0 && counts[y1 - c.y0]! < peak / 2) y1 -= 1;
  return { y0, y1 };
}
