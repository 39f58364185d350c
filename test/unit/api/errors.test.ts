import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../../src/api/middleware/errors.js';
import { requestId } from '../../../src/api/middleware/request-id.js';
import { ConflictError } from '../../../src/shared/errors.js';
import { createLogger } from '../../../src/shared/logger.js';

async function answer(error: unknown) {
  const app = express();
  app.use(requestId);
  app.get('/x', () => {
    throw error;
  });
  app.use(notFound);
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0);
  const { port } = server.address() as { port: number };
  try {
    const res = await fetch(`http://127.0.0.1:${port}/x`);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() as { error: { code: string; message: string; details?: unknown }; requestId: string } };
  } finally {
    server.close();
  }
}

describe('error answers', () => {
  it('keeps an AppError code, status and details, with the request id', async () => {
    const res = await answer(new ConflictError('SUBJECT_EXISTS', 'exists', { subjectId: 'PN-1' }));
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'SUBJECT_EXISTS', message: 'exists', details: { subjectId: 'PN-1' } });
    expect(res.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns a lost database or Redis connection into 503 with Retry-After', async () => {
    const res = await answer(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect([res.status, res.body.error.code, res.retryAfter]).toEqual([503, 'SERVICE_UNAVAILABLE', '5']);
  });

  it('hides the details of an unexpected failure', async () => {
    const res = await answer(new Error('secret internal detail at /srv/app.js:12'));
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });
});
