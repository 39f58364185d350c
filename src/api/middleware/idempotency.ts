import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError, ConflictError } from '../../shared/errors.js';
import type { IdempotencyRepository } from '../../domain/access/access-ports.js';
import { principalOf } from './auth.js';

const KEY_RE = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Honours `Idempotency-Key` on POSTs: the same key with the same request replays the first answer
 * (no second submission, no second job); the same key with a different request is refused.
 * Runs after body parsing so the hash covers the fields and the bytes of every file.
 */
export function idempotency(repo: IdempotencyRepository): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined) return next();
    if (!KEY_RE.test(key)) {
      throw new AppError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 . _ : -', 400);
    }
    const { apiKeyId } = principalOf(res.locals);
    const hash = requestHash(req);
    const existing = await repo.claim(apiKeyId, key, hash);
    if (existing) {
      if (existing.requestHash !== hash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.', 422);
      }
      if (existing.statusCode === null) {
        throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed.');
      }
      if (existing.location) res.setHeader('Location', existing.location);
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(existing.statusCode).json(existing.response);
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const location = res.getHeader('location');
      const save = res.statusCode < 400
        ? repo.saveResponse(apiKeyId, key, res.statusCode, body, typeof location === 'string' ? location : null)
        : repo.release(apiKeyId, key);
      // The answer waits for the record: a retry arriving right after must find it.
      save.then(() => json(body), (e: unknown) => next(e));
      return res;
    };
    next();
  };
}

function requestHash(req: { method: string; originalUrl: string; body?: unknown; files?: unknown }): string {
  const h = createHash('sha256').update(`${req.method} ${req.originalUrl}\n`).update(stableJson(req.body ?? null));
  const files = (req.files ?? {}) as Record<string, { buffer: Buffer }[]>;
  for (const name of Object.keys(files).sort()) {
    for (const f of files[name] ?? []) h.update(`\n${name}:`).update(createHash('sha256').update(f.buffer).digest('hex'));
  }
  return h.digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
