import type { FaceFinding } from '../../engine/face-engine.js';

export interface SelfieRules {
  /** Smallest accepted face width in pixels. */
  readonly minFacePx: number;
  /** A second face at least this fraction of the main face's area makes the photo ambiguous. */
  readonly rivalAreaRatio: number;
}

export type SelfieFaceChoice =
  | { readonly ok: true; readonly face: FaceFinding }
  | { readonly ok: false; readonly reason: 'SELFIE_NO_FACE' | 'SELFIE_MULTIPLE_FACES' | 'SELFIE_FACE_TOO_SMALL' };

const area = (f: FaceFinding) => f.box.width * f.box.height;

/**
 * A selfie must show exactly one dominant face: small faces far in the background are tolerated,
 * a second face of similar size is not (whose proof of life would it be?).
 */
export function chooseSelfieFace(faces: readonly FaceFinding[], rules: SelfieRules): SelfieFaceChoice {
  const sorted = [...faces].sort((a, b) => area(b) - area(a));
  const [main, rival] = sorted;
  if (!main) return { ok: false, reason: 'SELFIE_NO_FACE' };
  if (rival && area(rival) >= rules.rivalAreaRatio * area(main)) return { ok: false, reason: 'SELFIE_MULTIPLE_FACES' };
  if (main.box.width < rules.minFacePx) return { ok: false, reason: 'SELFIE_FACE_TOO_SMALL' };
  return { ok: true, face: main };
}

/** The document portrait is the largest face on the page (the small "ghost" copy is ignored). */
export function chooseDocumentPortrait(faces: readonly FaceFinding[]): FaceFinding | null {
  return [...faces].sort((a, b) => area(b) - area(a))[0] ?? null;
}
