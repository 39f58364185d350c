import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/api/middleware/errors.js';
import { uploadSlots } from '../../../src/api/middleware/upload-slots.js';
import { createLogger } from '../../../src/shared/logger.js';

async function serve(slots: number, waitMs: number, holdMs: number) {
  let inside = 0;
  let most = 0;
  const app = express();
  app.post('/u', uploadSlots(slots, waitMs), async (_req, res) => {
    inside += 1;
    most = Math.max(most, inside);
    await new Promise((r) => setTimeout(r, holdMs));
    inside -= 1;
    res.json({ ok: true });
  });
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0);
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/u`, most: () => most, close: () => server.close() };
}

describe('upload slots', () => {
  it('never lets more uploads in at once than there are slots; the rest wait their turn', async () => {
    const s = await serve(2, 5000, 50);
    try {
      const statuses = await Promise.all(Array.from({ length: 8 }, () => fetch(s.url, { method: 'POST' }).then((r) => r.status)));
      expect(statuses.every((x) => x === 200)).toBe(true);
      expect(s.most()).toBe(2);
    } finally {
      s.close();
    }
  });

  it('answers 503 UPLOADS_BUSY with Retry-After when the wait runs out', async () => {
    const s = await serve(1, 20, 300);
    try {
      const [first, second] = await Promise.all([fetch(s.url, { method: 'POST' }), fetch(s.url, { method: 'POST' })]);
      expect(first.status).toBe(200);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('3');
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe('UPLOADS_BUSY');
    } finally {
      s.close();
    }
  });
});
