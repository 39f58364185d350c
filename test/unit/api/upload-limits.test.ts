import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/api/middleware/errors.js';
import { multipartUpload, uploadedFiles } from '../../../src/api/middleware/upload.js';
import { requestId } from '../../../src/api/middleware/request-id.js';
import { buildOpenApi } from '../../../src/api/openapi.js';
import type { FilePart } from '../../../src/api/route-spec.js';
import { createLogger } from '../../../src/shared/logger.js';

// A selfie at the general limit and up to 12 challenge frames at their own, smaller limit: the request's budget is
// the sum, so the largest valid answer to a challenge always fits and a frame sent at photo size is refused by name.
const SELFIE = 5000;
const FRAME = 1000;
const parts: FilePart[] = [
  { name: 'selfie', required: true, description: 'selfie' },
  { name: 'frames', required: false, maxCount: 12, maxBytes: FRAME, description: 'frames' },
];

async function send(files: Record<string, Buffer[]>) {
  const app = express();
  app.use(requestId);
  app.post('/x', multipartUpload(parts, { maxFileBytes: SELFIE }), (req, res) => {
    res.json({ selfie: uploadedFiles(req, 'selfie').length, frames: uploadedFiles(req, 'frames').map((f) => f.length) });
  });
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0);
  const { port } = server.address() as { port: number };
  try {
    const form = new FormData();
    for (const [name, list] of Object.entries(files)) for (const b of list) form.append(name, new Blob([new Uint8Array(b)]), `${name}.jpg`);
    const res = await fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: form });
    return { status: res.status, body: await res.json() as any };
  } finally {
    server.close();
  }
}

describe('upload limits per field', () => {
  it('reads a selfie at its limit and 12 frames at theirs: the budget is the sum of the fields\' limits', async () => {
    const res = await send({ selfie: [Buffer.alloc(SELFIE)], frames: Array.from({ length: 12 }, () => Buffer.alloc(FRAME)) });
    expect([res.status, res.body.frames.length]).toEqual([200, 12]);
  });

  it('refuses a frame over the frame limit with 413 IMAGE_TOO_LARGE naming the field and the limit', async () => {
    const res = await send({ selfie: [Buffer.alloc(10)], frames: [Buffer.alloc(FRAME), Buffer.alloc(FRAME + 1)] });
    expect([res.status, res.body.error.code, res.body.error.details]).toEqual([413, 'IMAGE_TOO_LARGE', { field: 'frames', maxBytes: FRAME }]);
  });

  it('keeps the general limit for a field without its own', async () => {
    const res = await send({ selfie: [Buffer.alloc(SELFIE + 1)] });
    expect([res.status, res.body.error.code]).toEqual([413, 'IMAGE_TOO_LARGE']);
  });

  it('documents the per-file limit and the count in /openapi.json', () => {
    const doc = buildOpenApi([{
      method: 'post', path: '/x', summary: 'x', roles: 'public', multipart: { files: parts }, responses: {}, handler: () => undefined,
    }], 'test');
    const schema = (doc.paths['/x']!.post as any).requestBody.content['multipart/form-data'].schema;
    expect(schema.properties.frames).toMatchObject({ type: 'array', maxItems: 12, items: { type: 'string', format: 'binary', maxLength: FRAME } });
    expect(schema.properties.selfie).toMatchObject({ type: 'string', format: 'binary' });
  });
});
