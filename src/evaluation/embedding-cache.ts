/**
 * Per-image results on disk, so that a run over thousands of images is paid once per engine. One append-only
 * JSON-lines file per engine identity (model files, versions, options, image limits: anything that changes an
 * embedding changes the identity); a line per image, keyed by the image's sha256 and how it was processed.
 * A run killed half-way keeps every finished line; a torn last line is ignored.
 *
 * The cache holds embeddings of evaluation images (biometric templates of the people in the datasets): it lives
 * outside the repository or under the git-ignored var/, and `--cache` can point it elsewhere or be deleted freely.
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { EvalImage } from './eval-set.js';
import { extractFaces, sha256Of, type ExtractedFace, type ExtractionDeps, type ImageResult } from './face-extraction.js';

/** Bump when the stored shape or the meaning of a field changes: old files are then simply not read. */
export const CACHE_FORMAT = 3;

interface StoredFace {
  box: ExtractedFace['box'];
  score: number;
  /** Float32 little-endian, base64. */
  embedding: string;
}

interface StoredLine {
  key: string;
  result: Omit<ImageResult, 'faces'> & { faces: StoredFace[] };
}

export class EmbeddingCache {
  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, ImageResult>,
  ) {}

  /** Opens (creating the directory) the cache file of one engine identity and loads what it holds. */
  static async open(dir: string, engineKey: string): Promise<EmbeddingCache> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${engineKey}.v${CACHE_FORMAT}.jsonl`);
    const entries = new Map<string, ImageResult>();
    try {
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        const parsed = parseLine(line);
        if (parsed) entries.set(parsed.key, parsed.result);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new EmbeddingCache(file, entries);
  }

  get size(): number {
    return this.entries.size;
  }

  get path(): string {
    return this.file;
  }

  get(key: string): ImageResult | undefined {
    return this.entries.get(key);
  }

  async put(key: string, result: ImageResult): Promise<void> {
    this.entries.set(key, result);
    const stored: StoredLine = { key, result: { ...result, faces: result.faces.map(storeFace) } };
    await appendFile(this.file, `${JSON.stringify(stored)}\n`);
  }
}

function storeFace(face: ExtractedFace): StoredFace {
  const bytes = Buffer.from(face.embedding.buffer, face.embedding.byteOffset, face.embedding.byteLength);
  return { box: face.box, score: face.score, embedding: bytes.toString('base64') };
}

function parseLine(line: string): { key: string; result: ImageResult } | null {
  if (!line.trim()) return null;
  let stored: StoredLine;
  try {
    stored = JSON.parse(line) as StoredLine;
  } catch {
    return null; // a line cut short by a killed run
  }
  const faces = stored.result.faces.map((face) => {
    const bytes = Buffer.from(face.embedding, 'base64');
    const embedding = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(embedding.buffer).set(bytes);
    return { box: face.box, score: face.score, embedding };
  });
  return { key: stored.key, result: { ...stored.result, faces } };
}

/** An image's faces from the cache, or extracted now and cached; `cached` tells which (for counts and progress). */
export async function cachedExtraction(
  cache: EmbeddingCache, deps: ExtractionDeps, image: Pick<EvalImage, 'load' | 'role'>,
): Promise<{ result: ImageResult; cached: boolean }> {
  const bytes = await image.load();
  const key = `${sha256Of(bytes)}:${image.role}`;
  const hit = cache.get(key);
  if (hit) return { result: hit, cached: true };
  const result = await extractFaces(deps, bytes, image.role);
  await cache.put(key, result);
  return { result, cached: false };
}
