/**
 * A presentation-attack evaluation set in the layout of ../shared/datasets/spoof: bona fide images under real/,
 * attacks under attack/, and a manifest.json whose `images` give per file its `label` (real | attack),
 * `attack_type` (print, replay, ...) and `subject`. Without a manifest, the folders alone label the images and
 * every attack is of type "unknown".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SpoofSample {
  /** Path relative to the set's folder, e.g. attack/nuaa_imposter_0001_....jpg */
  readonly file: string;
  readonly label: 'real' | 'attack';
  /** Attack instrument species (ISO/IEC 30107-3 "PAI species"); null for bona fide. */
  readonly attackType: string | null;
  /** Who is pictured (for subject-disjoint cross-validation); the file's folder stem when unknown. */
  readonly subject: string;
  readonly sha256: string | null;
}

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
  const manifest = path.join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    const images = (JSON.parse(readFileSync(manifest, 'utf8')) as { images: ManifestImage[] }).images;
    return images.map((image) => {
      if (image.label !== 'real' && image.label !== 'attack') throw new Error(`${image.file}: label must be real or attack, got ${image.label}`);
      return {
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
    for (const name of readdirSync(folder).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort()) {
      samples.push({ file: `${label}/${name}`, label, attackType: label === 'attack' ? 'unknown' : null, subject: path.parse(name).name, sha256: null });
    }
  }
  if (!samples.length) throw new Error(`no images under ${dir}/real or ${dir}/attack`);
  return samples;
}
