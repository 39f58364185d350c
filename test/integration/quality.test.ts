import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { qualityRoutes } from '../../src/api/routes/quality.routes.js';
import { QualityCheckService } from '../../src/domain/quality/quality-check.service.js';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../src/domain/quality/quality-thresholds.js';
import { createFaceApiEngine } from '../../src/engine/face-api.engine.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import { decodeRgb } from '../../src/images/image-codec.js';
import { imageNormalizer } from '../../src/images/image-normalizer.js';
import { createLogger } from '../../src/shared/logger.js';
import { ApiClient } from '../support/api-client.js';
import { startStack, type Stack } from '../support/stack.js';

// POST /v1/quality-check over HTTP with the real engine: the answer an elderly user's app shows at once.
let stack: Stack;
let engine: FaceEngine;
let server: Server;
let client: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  engine = await createFaceApiEngine({ backend: 'wasm', detector: 'ssd' });
  const app = createApp({
    logger: createLogger('silent'), apiKeys: stack.service.access.apiKeys, idempotency: stack.service.platform.uow.ports.idempotency, maxUploadBytes: 10 * 1024 * 1024, version: 'test',
    routes: qualityRoutes({
      quality: new QualityCheckService({ engine, decodeRgb, thresholds: DEFAULT_QUALITY_THRESHOLDS }),
      normalizeImage: imageNormalizer({ maxPixels: 40_000_000, maxSide: 2000 }, 2),
    }),
  });
  server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, stack.keys['mobile-client']);
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await engine?.dispose();
  await stack?.stop();
});

async function selfie(): Promise<Buffer> {
  const face = readFileSync('samples/faces/sample3-face2.jpg');
  const { width = 0 } = await sharp(face).metadata();
  const pad = Math.round(width * 0.45);
  return sharp(face).extend({ top: pad, bottom: pad * 2, left: pad, right: pad, background: '#8a7f70' }).jpeg({ quality: 92 }).toBuffer();
}

describe('POST /v1/quality-check', () => {
  it('passes a usable selfie, with the OFIQ-style components and its own timings', async () => {
    const image = await selfie();
    const res = await client.multipart('/v1/quality-check', { image }, {}, { 'accept-language': 'en' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ pass: true, language: 'en', message: 'The photo is good.', findings: [] });
    expect(Object.keys(res.body.components)).toEqual(expect.arrayContaining([
      'interEyePx', 'faceHeightRatio', 'sharpness', 'luminanceMean', 'luminanceStdDev', 'underExposed', 'overExposed', 'yaw', 'pitch', 'roll', 'eyeOpenness', 'faceCount',
    ]));
    expect(res.headers.get('cache-control')).toBe('no-store');
    // How fast is measured by the benchmark (docs/LIVENESS.md, "Timings"), not asserted on a shared test machine.
    expect(res.body.timings.totalMs).toBeGreaterThan(0);
  });

  it('tells a person in a dim room what to do, in Russian or Tajik as asked', async () => {
    const dark = await sharp(await selfie()).linear(0.35, 0).jpeg().toBuffer();
    const ru = await client.multipart('/v1/quality-check', { image: dark }, {}, { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' });
    expect(ru.status).toBe(200);
    expect(ru.body.pass).toBe(false);
    expect(ru.body.findings[0]).toMatchObject({ code: 'QUALITY_TOO_DARK', severity: 'fail' });
    expect(ru.body.message).toBe(ru.body.findings[0].message);
    expect(ru.body.message).toMatch(/т[её]мн/);
    expect(ru.headers.get('content-language')).toBe('ru');
    const tg = await client.multipart('/v1/quality-check', { image: dark });
    expect(tg.body.language).toBe('tg');
    expect(tg.body.message).toMatch(/торик/);
  });

  it('answers no face and several faces with their codes', async () => {
    const wall = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8b89a' } }).jpeg().toBuffer();
    expect((await client.multipart('/v1/quality-check', { image: wall })).body).toMatchObject({ pass: false, components: null, findings: [{ code: 'QUALITY_NO_FACE' }] });
    const group = await client.multipart('/v1/quality-check', { image: readFileSync('samples/faces/group-sample1.jpg') });
    expect(group.body.findings.map((f: { code: string }) => f.code)).toContain('QUALITY_MULTIPLE_FACES');
  });

  it('refuses what is not an image, a missing file, a caller without a key and a reviewer', async () => {
    expect((await client.multipart('/v1/quality-check', { image: Buffer.from('not an image at all') })).body.error.code).toBe('UNSUPPORTED_IMAGE_TYPE');
    expect((await client.multipart('/v1/quality-check', {}, { note: 'x' })).body.error.code).toBe('FILE_REQUIRED');
    expect((await client.withKey('').multipart('/v1/quality-check', { image: await selfie() })).status).toBe(401);
    expect((await client.withKey(stack.keys.reviewer).multipart('/v1/quality-check', { image: await selfie() })).status).toBe(403);
  });
});
