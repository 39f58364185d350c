/**
 * Passport page photos through the worker's document path on one core: `analyseDocument` as the worker calls it
 * (decode, detection on the page, the grey-copy fallback when no portrait is seen, re-detection and embedding on
 * the enlarged portrait crop). MRZ reading (OCR) is a separate stage of enrolment and is not timed here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { analyseDocument } from '../../src/domain/verification/face-analysis.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import { cropRgb, decodeRgb, normalizeUpload, type ImageLimits } from '../../src/images/image-codec.js';
import { datasetsAvailable, datasetsDir } from '../../test/support/datasets.js';
import { makeSyntheticPassportPage } from '../../test/support/passport-page.js';
import type { CpuShare } from './cpu.js';
import { onOneCore } from './one-core.js';
import { markdownTable, ms, summarise } from './stats.js';

/**
 * The larger page photos of `documents/` with a printed portrait (1000-1900 px; most specimens there are scans
 * under 800 px, smaller than a phone photo of a page). Read in place, never copied.
 */
export const DOCUMENT_SUBSET = [
  'passporteye/100_pass-bdr.jpg', // 1874 x 1326
  'passporteye/tests_passport_td3_jpg.jpg', // 1334 x 880
  'passporteye/tests_passport_td2_jpg.jpg', // 1340 x 956
  'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient7_1300x1002.jpg', // 1002 x 1300
  'doubango_ultimatemrz/Passport-Australia_1280x720.jpg', // 1280 x 720
] as const;

/** Synthetic pages (shippable sample faces on a generated data page) are enlarged to this width, a phone photo's. */
const SYNTHETIC_WIDTH = 2000;

interface Page {
  readonly name: string;
  readonly bytes: Buffer;
}

export interface PageResult {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly portraitFound: boolean;
  readonly normalize: number[];
  readonly analyse: number[];
}

/** Two synthetic 2000 px pages from samples/faces, plus the subset above when the shared datasets are present. */
export async function documentPages(repoRoot: string, limit?: number): Promise<Page[]> {
  const pages: Page[] = [];
  for (const face of ['sample1-face1.jpg', 'sample5-face5.jpg']) {
    const page = await makeSyntheticPassportPage(path.join(repoRoot, 'samples', 'faces', face));
    pages.push({ name: `synthetic page (${face})`, bytes: await sharp(page).resize({ width: SYNTHETIC_WIDTH }).jpeg({ quality: 90 }).toBuffer() });
  }
  if (datasetsAvailable()) {
    for (const file of DOCUMENT_SUBSET) pages.push({ name: file, bytes: await readFile(path.join(datasetsDir(), 'documents', file)) });
  }
  return pages.slice(0, limit);
}

/** `warmups` unrecorded and `reps` recorded passes over the pages, interleaved, on one core. */
export async function benchDocumentPages(
  engine: FaceEngine, pages: readonly Page[], options: { warmups: number; reps: number; limits: ImageLimits },
): Promise<{ results: PageResult[]; cpu: CpuShare }> {
  const { result: results, cpu } = await onOneCore(async () => {
    const results: PageResult[] = [];
    for (const page of pages) {
      const { jpeg, width, height } = await normalizeUpload(page.bytes, 'document', options.limits);
      const analysis = await analyseDocument(engine, { decodeRgb, cropRgb }, jpeg);
      results.push({ name: page.name, width, height, portraitFound: analysis.face !== null, normalize: [], analyse: [] });
    }
    for (let pass = 0; pass < options.warmups + options.reps; pass += 1) {
      for (const [i, page] of pages.entries()) {
        const t0 = performance.now();
        const { jpeg } = await normalizeUpload(page.bytes, 'document', options.limits);
        const t1 = performance.now();
        await analyseDocument(engine, { decodeRgb, cropRgb }, jpeg);
        const t2 = performance.now();
        if (pass < options.warmups) continue;
        results[i]!.normalize.push(t1 - t0);
        results[i]!.analyse.push(t2 - t1);
      }
    }
    return results;
  });
  return { results, cpu };
}

export function documentTable(results: readonly PageResult[]): string {
  const all = summarise(results.flatMap((r) => r.analyse));
  return markdownTable(
    ['page', 'analysed at', 'portrait found', 'normalize median', 'worker: decode + find + embed portrait, median', 'p95', 'min–max'],
    [
      ...results.map((r) => {
        const a = summarise(r.analyse);
        return [r.name, `${r.width}×${r.height}`, r.portraitFound ? 'yes' : '**no**', ms(summarise(r.normalize).median), ms(a.median), ms(a.p95), `${ms(a.min)}–${ms(a.max)}`];
      }),
      ['**all pages**', '', `${results.filter((r) => r.portraitFound).length} of ${results.length}`, '', `**${ms(all.median)}**`, ms(all.p95), `${ms(all.min)}–${ms(all.max)}`],
    ],
  );
}
