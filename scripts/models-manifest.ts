/**
 * Regenerates models/manifest.json from the model and wasm files installed in node_modules.
 * Run after upgrading @vladmandic/face-api or @tensorflow/tfjs-backend-wasm (then `npm run models:onnx`), and review the diff:
 * a changed checksum changes every match score, so calibration.json must be re-checked too.
 *
 *   npx tsx scripts/models-manifest.ts
 */
import { writeFile } from 'node:fs/promises';
import { buildModelManifest, defaultManifestPath, readModelManifest } from '../src/engine/model-manifest.js';

const path = defaultManifestPath();
// The generated graphs' pins are kept; `npm run models:onnx` rebuilds and re-pins them from the new files.
const { generated } = await readModelManifest(path).catch(() => ({ generated: undefined }));
const manifest = { ...(await buildModelManifest()), ...(generated ? { generated } : {}) };
await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
const total = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
console.log(`${path}: ${manifest.files.length} files, ${(total / 1e6).toFixed(1)} MB, packages ${JSON.stringify(manifest.packages)}`);
