import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { MRZ_ALPHABET } from '../mrz/check-digit.js';

/** One recognised character with its box in the pixels of the image given to the engine. */
export interface OcrSymbol {
  readonly text: string;
  /** 0-100, as tesseract reports it. */
  readonly confidence: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface OcrLine {
  readonly text: string;
  readonly symbols: readonly OcrSymbol[];
}

/** Text recognition of a cropped MRZ band, restricted to the MRZ alphabet. */
export interface MrzOcrEngine {
  /** Lines of the image, top to bottom. The image: PNG or JPEG bytes, dark text on a light background. */
  recognizeLines(image: Buffer): Promise<OcrLine[]>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** Which of the traineddata variants that `@tesseract.js-data/eng` ships to use. */
export type EngModel = 'fast' | 'best_int';

/**
 * Tesseract (WASM, in a worker thread) with the English LSTM model from `@tesseract.js-data/eng`. Everything is
 * loaded from node_modules: the traineddata by file path (gzip), the core by `require` inside tesseract.js's own
 * worker script. `cacheMethod: 'none'` keeps it from writing a copy of the model to the working directory, and no
 * logger is attached, so recognised text never reaches a log.
 */
export async function createTesseractOcr(model: EngModel = 'fast'): Promise<MrzOcrEngine> {
  const engDir = path.dirname(require.resolve('@tesseract.js-data/eng/package.json'));
  const langPath = path.join(engDir, model === 'fast' ? '4.0.0' : '4.0.0_best_int');
  const worker: Worker = await createWorker(
    'eng',
    OEM.LSTM_ONLY,
    { langPath, gzip: true, cacheMethod: 'none', workerPath: require.resolve('tesseract.js/src/worker-script/node/index.js') },
    // An MRZ holds no dictionary words: the word lists would only pull readings towards English.
    { load_system_dawg: '0', load_freq_dawg: '0' },
  );
  // user_defined_dpi: the band is rescaled without a resolution; tesseract would warn on stderr for every image.
  await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK, tessedit_char_whitelist: MRZ_ALPHABET, user_defined_dpi: '300' });
  return {
    async recognizeLines(image) {
      const { data } = await worker.recognize(image, {}, { text: false, blocks: true });
      const lines: OcrLine[] = [];
      for (const block of data.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            const symbols = line.words.flatMap((word) => word.symbols.map((s) => ({
              text: s.text, confidence: s.confidence, x0: s.bbox.x0, y0: s.bbox.y0, x1: s.bbox.x1, y1: s.bbox.y1,
            })));
            lines.push({ text: symbols.map((s) => s.text).join(''), symbols });
          }
        }
      }
      return lines;
    },
    async close() {
      await worker.terminate();
    },
  };
}
