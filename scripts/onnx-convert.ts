/**
 * Builds the native runtime's ONNX graphs from the pinned tfjs weights (src/engine/native/generated-models.ts), pins
 * their size and SHA-256 in models/manifest.json `generated`, and writes them to var/models/onnx/ for inspection
 * (e.g. in Netron). The engine itself rebuilds them in memory at start and checks them against the pin, so a file
 * here is never loaded. Run after upgrading @vladmandic/face-api or @vladmandic/human or changing a generator, then review the diff.
 *
 *   npm run models:onnx            build, write, pin
 *   npm run models:onnx -- --check build and compare with the pins only (exit 1 on a difference)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readModelManifest, resolvePackageFile, verifyModelManifest, defaultManifestPath, type GeneratedEntry } from '../src/engine/model-manifest.js';
import { MODEL_GENERATORS, generatedEntry } from '../src/engine/native/generated-models.js';

const check = process.argv.includes('--check');
const manifestPath = defaultManifestPath();
// The sources must be the pinned bytes: a graph built from other weights would be pinned wrongly.
const manifest = await verifyModelManifest(manifestPath);
const outDir = join(dirname(manifestPath), '..', 'var', 'models', 'onnx');
const entries: GeneratedEntry[] = [];
let differs = false;
for (const generator of MODEL_GENERATORS) {
  const started = performance.now();
  const bytes = await generator.build(generator.sources.map((s) => resolvePackageFile(s.package, s.file)));
  const entry = generatedEntry(generator, bytes, manifest);
  const pinned = manifest.generated?.find((g) => g.role === entry.role);
  const same = pinned?.sha256 === entry.sha256 && pinned.bytes === entry.bytes;
  differs ||= !same;
  console.log(`${entry.file}: ${(entry.bytes / 1e6).toFixed(1)} MB sha256 ${entry.sha256} in ${Math.round(performance.now() - started)} ms${same ? ' (as pinned)' : ' (differs from the pin)'}`);
  entries.push(entry);
  if (!check) {
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, entry.file), bytes);
  }
}
if (check) {
  if (differs) process.exitCode = 1;
} else {
  const current = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  await writeFile(manifestPath, `${JSON.stringify({ ...current, generated: entries }, null, 2)}\n`);
  await readModelManifest(manifestPath);
  console.log(`pinned ${entries.length} generated model(s) in ${manifestPath}; files in ${outDir}`);
}
