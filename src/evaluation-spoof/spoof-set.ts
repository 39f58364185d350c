/**
 * A presentation-attack evaluation set in the layout of ../shared/datasets/spoof: bona fide images under real/,
 * attacks under attack/, and a manifest.json whose `images` give per file its `label` (real | attack),
 * `attack_type` (print, replay, ...) and `subject`. Without a manifest, the folders alone label the images and
 * every attack is of type "unknown".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The role of an image in the evaluation: `spoof` (the attack set and its bona fide), `bona-fide` (extra genuine
 * photos that join the fit), `holdout` (genuine photos never fitted on, scored only).
 */
export type SampleGroup = 'spoof' | 'bona-fide' | 'holdout';

export interface SpoofSample {
  /** Folder the file is relative to. */
  readonly root: string;
  /** Path relative to `root`, e.g. attack/nuaa_imposter_0001_....jpg */
  readonly file: string;
  readonly group: SampleGroup;
  readonly label: 'real' | 'attack';
  /** Attack instrument species (ISO/IEC 30107-3 "PAI species"); null for bona fide. */
  readonly attackType: string | null;
  /** Who is pictured (for subject-disjoint cross-validation); the file's folder stem when unknown. */
  readonly subject: string;
  readonly sha256: string | null;
  /**
   * The set holds tight face crops (NUAA's): an image shorter than TIGHT_CROP_SIDE gets a border before detection.
   * False for ordinary photo folders, which are measured exactly as an upload would be.
   */
  readonly tightCrops: boolean;
}

/** The sample's file path, for reading. */
export const samplePath = (s: SpoofSample): string => path.join(s.root, s.file);

interface ManifestImage {
  file: string;
  label: string;
  attack_type?: string | null;
  subject?: string;
  sha256?: string;
}

/** Reads the set; throws with a clear message when the folder is not such a set. */
export function loadSpoofSet(dir: string): SpoofSample[] {
  if (!existsSync(dir)) throw new Error(`spoof set not found: ${dir} (expected real/, attack/ and manifest.json)`);
  const base = { root: dir, group: 'spoof' as const, tightCrops: true };
  const manifest = path.join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    const images = (JSON.parse(readFileSync(manifest, 'utf8')) as { images: ManifestImage[] }).images;
    return images.map((image) => {
      if (image.label !== 'real' && image.label !== 'attack') throw new Error(`${image.file}: label must be real or attack, got ${image.label}`);
      return {
        ...base,
        file: image.file,
        label: image.label,
        attackType: image.label === 'attack' ? (image.attack_type ?? 'unknown') : null,
        subject: image.subject ?? path.parse(image.file).name,
        sha256: image.sha256 ?? null,
      };
    });
  }
  const samples: SpoofSample[] = [];
  for (const label of ['real', 'attack'] as const) {
    const folder = path.join(dir, label);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).filter(isImageName).sort()) {
      samples.push({ ...base, file: `${label}/${name}`, label, attackType: label === 'attack' ? 'unknown' : null, subject: path.parse(name).name, sha256: null });
    }
  }
  if (!samples.length) throw new Error(`no images under ${dir}/real or ${dir}/attack`);
  return samples;
}

export const isImageName = (name: string): boolean => /\.(jpe?g|png|webp)$/i.test(name);
