import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRedis } from '../../src/bootstrap/local-redis.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/shared/logger.js';
import { ApiClient } from '../support/api-client.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { cli, exitOf, startProcess } from '../support/processes.js';
import { REDIS_URL_TEST } from '../support/services.js';
import { createConsentingSubject } from '../support/stack.js';

// `npm start` on one machine: embedded PostgreSQL (PGlite) under DATA_DIR, API and worker in one process.
const dataDir = mkdtempSync(path.join(tmpdir(), 'zinda-single-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

describe('single-machine mode', () => {
  it('starts a private redis-server when nothing answers and REDIS_URL is unset', async () => {
    const port = await freePort();
    const config = { ...loadConfig({ DATA_DIR: dataDir }), redisUrl: `redis://127.0.0.1:${port}` };
    const redis = await resolveRedis(config, createLogger('silent'));
    try {
      expect(redis.url).not.toBe(config.redisUrl);
      const client = new Redis(redis.url);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      client.disconnect();
    } finally {
      await redis.stop();
    }
  });

  it('runs API and worker in one process on the embedded database, and stops on SIGTERM', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, REDIS_URL: REDIS_URL_TEST, QUEUE_PREFIX: `zt-single-${process.pid}`, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', DOCUMENT_OCR: 'false' };
    const key = cli(env, 'keys', 'create', '--role', 'operator');
    const proc = await startProcess('all', env, 'SIGTERM or Ctrl-C stops it');
    try {
      const port = /"port":(\d+)/.exec(proc.output())![1];
      const client = new ApiClient(`http://127.0.0.1:${port}`, key);
      expect((await client.json('GET', '/readyz')).body.status).toBe('ready');
      await createConsentingSubject(client, 'PN-1');
      const res = await client.multipart('/v1/subjects/PN-1/enrollments', {
        selfie: readFileSync('samples/faces/sample3-face2.jpg'),
        document: await makeSyntheticPassportPage('samples/faces/sample3-face2.jpg'),
      });
      expect((await client.waitForSubmission(res.body.submissionId)).decision).toBe('verified');
    } finally {
      proc.kill('SIGTERM');
      expect(await exitOf(proc)).toBe(0);
    }
  });
});
