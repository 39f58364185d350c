import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildModelManifest,
  verifyModelManifest,
  type ManifestEntry,
  type ModelManifest,
} from '../../../src/engine/model-manifest.js';
import { ModelIntegrityError } from '../../../src/shared/errors.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('model manifest verification', () => {
  let dir: string;
  const weights = Buffer.from('pretend these are model weights');
  const wasm = Buffer.from('pretend this is a wasm binary');
  // Entries name a package, but resolveFile points them at the temp dir, as a copied model directory would be.
  const resolveFile = (entry: ManifestEntry) => join(dir, entry.file);

  async function writeManifest(files: ManifestEntry[]): Promise<string> {
    const manifest: ModelManifest = { packages: { '@vladmandic/face-api': '0.0.0-test' }, files };
    const path = join(dir, 'manifest.json');
    await writeFile(path, JSON.stringify(manifest));
    return path;
  }

  const entries = (): ManifestEntry[] => [
    { package: '@vladmandic/face-api', file: 'net.bin', role: 'face-recognition', bytes: weights.length, sha256: sha256(weights) },
    { package: '@tensorflow/tfjs-backend-wasm', file: 'backend.wasm', role: 'wasm-binary', bytes: wasm.length, sha256: sha256(wasm) },
  ];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zinda-manifest-'));
    await writeFile(join(dir, 'net.bin'), weights);
    await writeFile(join(dir, 'backend.wasm'), wasm);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('accepts files that match their pinned size and checksum', async () => {
    const manifest = await verifyModelManifest(await writeManifest(entries()), { resolveFile });
    expect(manifest.files).toHaveLength(2);
  });

  it('rejects a file tampered with in place (same size), naming it', async () => {
    const tampered = Buffer.from(weights);
    tampered[0] = tampered[0]! ^ 0xff;
    await writeFile(join(dir, 'net.bin'), tampered);
    const check = verifyModelManifest(await writeManifest(entries()), { resolveFile });
    await expect(check).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(check).rejects.toThrow(/checksum mismatch.*@vladmandic\/face-api\/net\.bin/);
  });

  it('rejects a truncated file by its size', async () => {
    await writeFile(join(dir, 'backend.wasm'), wasm.subarray(0, 5));
    await expect(verifyModelManifest(await writeManifest(entries()), { resolveFile })).rejects.toThrow(
      /has 5 bytes, manifest pins \d+: @tensorflow\/tfjs-backend-wasm\/backend\.wasm/,
    );
  });

  it('rejects a missing file, naming it', async () => {
    await rm(join(dir, 'net.bin'));
    await expect(verifyModelManifest(await writeManifest(entries()), { resolveFile })).rejects.toThrow(
      /Model file missing: @vladmandic\/face-api\/net\.bin/,
    );
  });

  it('checks only the roles asked for (a model that loads nothing else)', async () => {
    await rm(join(dir, 'backend.wasm'));
    const path = await writeManifest(entries());
    await expect(verifyModelManifest(path, { resolveFile, roles: ['face-recognition'] })).resolves.toMatchObject({ files: entries() });
    await expect(verifyModelManifest(path, { resolveFile, roles: ['wasm-binary'] })).rejects.toThrow(/Model file missing/);
  });

  it('rejects a manifest that is missing or malformed', async () => {
    await expect(verifyModelManifest(join(dir, 'absent.json'))).rejects.toBeInstanceOf(ModelIntegrityError);
    const [first, second] = entries();
    const path = await writeManifest([{ ...first!, sha256: 'not-a-sha' }, second!]);
    await expect(verifyModelManifest(path, { resolveFile })).rejects.toThrow(/malformed/);
  });

  it('builds a manifest from installed packages that then verifies', async () => {
    const manifest = await buildModelManifest([
      { package: '@vladmandic/face-api', file: 'model/tiny_face_detector_model-weights_manifest.json', role: 'tiny-face-detector' },
    ]);
    expect(manifest.packages['@vladmandic/face-api']).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const path = join(dir, 'built.json');
    await writeFile(path, JSON.stringify(manifest));
    await expect(verifyModelManifest(path)).resolves.toEqual(manifest);
  });
});
