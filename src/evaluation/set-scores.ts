/**
 * Turns per-image results into what the metrics need: the failure-to-enrol count, the distance of every listed
 * pair (null when a side has no usable face), and optionally every pair within each fold. Distances come from
 * decision.ts's euclideanDistance, the function the workers compare with.
 */
import { euclideanDistance } from '../domain/verification/decision.js';
import type { SelfieRules } from '../domain/verification/face-selection.js';
import type { EvalSet } from './eval-set.js';
import { subjectFace, type ExtractedFace, type ImageResult } from './face-extraction.js';
import type { FoldPair } from './k-fold.js';

/** Images that gave no usable face, by reason. */
export interface FailureToEnrol {
  readonly images: number;
  readonly failed: number;
  readonly rate: number;
  readonly byReason: Readonly<Record<string, number>>;
  /** The first few failed images, by name, to look at. */
  readonly examples: readonly string[];
}

/** A listed pair with its distance, and the image names for the hardest-pairs lists. */
export interface ScoredPair extends FoldPair {
  readonly a: string;
  readonly b: string;
}

/** Every same-person and different-person pair of enrolled images within each fold, each list sorted ascending. */
export interface AllPairScores {
  readonly byFold: readonly { fold: number; genuine: Float64Array; impostor: Float64Array }[];
  /** True when impostor pairs were sampled (at rate `sampling`) to stay within the memory bound. */
  readonly sampled: boolean;
  readonly sampling: number;
}

export interface SetScores {
  readonly fte: FailureToEnrol;
  /** For sets whose protocol picks the central face: the FTE had the whole photo been a selfie. */
  readonly fteWholeImage: FailureToEnrol | null;
  readonly pairs: readonly ScoredPair[];
  readonly allPairs: AllPairScores | null;
}

export interface ScoringOptions {
  readonly selfieRules: SelfieRules;
  /** Upper bound on impostor pairs kept for the all-pairs scores (8 bytes each). */
  readonly maxImpostorPairs: number;
}

export function scoreSet(set: EvalSet, results: ReadonlyMap<string, ImageResult>, options: ScoringOptions): SetScores {
  const faces = new Map<string, ExtractedFace | null>();
  const reasons = new Map<string, string>();
  const wholeImageReasons = new Map<string, string>();
  for (const [id, image] of set.images) {
    const result = results.get(id);
    if (!result) throw new Error(`no result for image ${id}`);
    const subject = subjectFace(result, image, options.selfieRules);
    faces.set(id, subject.face);
    if (subject.reason) reasons.set(id, subject.reason);
    if (result.reason) wholeImageReasons.set(id, result.reason);
  }
  const pairs = set.pairs.map((p): ScoredPair => {
    const a = faces.get(p.a);
    const b = faces.get(p.b);
    const identityA = set.images.get(p.a)?.identity ?? p.a;
    const identityB = set.images.get(p.b)?.identity ?? p.b;
    return {
      fold: p.fold, same: p.same, a: p.a, b: p.b, identities: [identityA, identityB],
      distance: a && b ? euclideanDistance(a.embedding, b.embedding) : null,
    };
  });
  const central = [...set.images.values()].some((image) => image.subject === 'central');
  return {
    fte: failureToEnrol(set.images.size, reasons),
    fteWholeImage: central ? failureToEnrol(set.images.size, wholeImageReasons) : null,
    pairs,
    allPairs: set.allPairsWithinFolds ? allPairsWithinFolds(set, faces, options.maxImpostorPairs) : null,
  };
}

function failureToEnrol(images: number, reasons: ReadonlyMap<string, string>): FailureToEnrol {
  const byReason: Record<string, number> = {};
  for (const reason of reasons.values()) byReason[reason] = (byReason[reason] ?? 0) + 1;
  return { images, failed: reasons.size, rate: images ? reasons.size / images : 0, byReason, examples: [...reasons.keys()].slice(0, 10) };
}

function allPairsWithinFolds(set: EvalSet, faces: ReadonlyMap<string, ExtractedFace | null>, maxImpostors: number): AllPairScores {
  const byFoldImages = new Map<number, { identity: string; embedding: Float32Array }[]>();
  for (const image of set.images.values()) {
    const face = faces.get(image.id);
    if (!face) continue;
    const list = byFoldImages.get(image.fold) ?? [];
    list.push({ identity: image.identity, embedding: face.embedding });
    byFoldImages.set(image.fold, list);
  }
  let impostorTotal = 0;
  for (const list of byFoldImages.values()) impostorTotal += (list.length * (list.length - 1)) / 2;
  const sampling = impostorTotal > maxImpostors ? maxImpostors / impostorTotal : 1;
  const random = mulberry32(0x5eed);
  const byFold = [...byFoldImages].sort(([a], [b]) => a - b).map(([fold, list]) => {
    const genuine: number[] = [];
    const impostor = new GrowableFloat64();
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as { identity: string; embedding: Float32Array };
        const b = list[j] as { identity: string; embedding: Float32Array };
        if (a.identity === b.identity) genuine.push(euclideanDistance(a.embedding, b.embedding));
        else if (sampling === 1 || random() < sampling) impostor.push(euclideanDistance(a.embedding, b.embedding));
      }
    }
    return { fold, genuine: Float64Array.from(genuine).sort(), impostor: impostor.toArray().sort() };
  });
  return { byFold, sampled: sampling < 1, sampling };
}

class GrowableFloat64 {
  private data = new Float64Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Small seeded PRNG: the same sample of impostor pairs on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
