/**
 * What the harness evaluates, independent of where it came from: images (each with its person and fold) and
 * labelled pairs of them. Loaders for the LFW, identity-folder and document layouts build one of these.
 */

/** How an image enters the pipeline: as a selfie upload, or as a photo of a document page. */
export type ImageRole = 'selfie' | 'document';

/** One image of an evaluation set. The bytes are read (or built) on demand and never kept. */
export interface EvalImage {
  /** Stable name inside the set (a relative path), printed in reports; never image content. */
  readonly id: string;
  readonly identity: string;
  readonly fold: number;
  readonly role: ImageRole;
  /** How the LFW protocol picks the face: the one covering the image centre ("central") or as a selfie would. */
  readonly subject: 'central' | 'whole-image';
  readonly load: () => Promise<Buffer>;
}

/** A labelled comparison of two images, by id. */
export interface EvalPair {
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
  readonly fold: number;
}

export interface EvalSet {
  /** Report section name, e.g. "lfw", "identities", "documents". */
  readonly name: string;
  readonly description: string;
  readonly root: string;
  readonly images: ReadonlyMap<string, EvalImage>;
  readonly pairs: readonly EvalPair[];
  readonly folds: number;
  /**
   * Also score every pair of images within a fold (all same-person combinations, all different-person ones), so
   * that low FARs rest on many impostor pairs, not only the few the pairs list holds.
   */
  readonly allPairsWithinFolds: boolean;
  /** Facts about the source worth recording (file hashes, counts). */
  readonly provenance: Readonly<Record<string, unknown>>;
}

/** Keeps `limit` pairs spread evenly over folds and over same/different, so a quick run still has every fold. */
export function limitPairs(pairs: readonly EvalPair[], limit: number | undefined): EvalPair[] {
  if (limit === undefined || limit >= pairs.length) return [...pairs];
  const groups = new Map<string, EvalPair[]>();
  for (const p of pairs) {
    const key = `${p.fold}:${p.same}`;
    const group = groups.get(key) ?? [];
    group.push(p);
    groups.set(key, group);
  }
  const perGroup = Math.max(1, Math.ceil(limit / groups.size));
  return [...groups.values()].flatMap((group) => group.slice(0, perGroup));
}

/** Only the images some pair uses. */
export function imagesOfPairs(images: ReadonlyMap<string, EvalImage>, pairs: readonly EvalPair[]): Map<string, EvalImage> {
  const used = new Map<string, EvalImage>();
  for (const p of pairs) {
    for (const id of [p.a, p.b]) {
      const image = images.get(id);
      if (!image) throw new Error(`pair refers to unknown image ${id}`);
      used.set(id, image);
    }
  }
  return used;
}
