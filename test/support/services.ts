/**
 * Real services for integration and e2e tests: a fresh PostgreSQL database per test file on the
 * server named by DATABASE_URL_TEST, the Redis at REDIS_URL_TEST with a unique queue prefix, and a
 * temporary DATA_DIR. Test support may read process.env: it is not part of the application.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/env.js';

export const DATABASE_URL_TEST = process.env['DATABASE_URL_TEST'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL_TEST = process.env['REDIS_URL_TEST'] ?? 'redis://127.0.0.1:6379';

export interface TestEnvironment {
  readonly config: Config;
  readonly databaseUrl: string;
  cleanup(): Promise<void>;
}

/** Creates a throw-away database and data directory; `cleanup` drops and removes them. */
export async function createTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const suffix = randomBytes(5).toString('hex');
  const dbName = `zinda_test_${suffix}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL_TEST });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(DATABASE_URL_TEST);
  url.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zinda-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    REDIS_URL: REDIS_URL_TEST,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `zt-${suffix}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    JOB_BACKOFF_MS: '200',
    // Every test client is 127.0.0.1; the per-IP limit is tested on its own.
    RATE_LIMIT_PER_IP_PER_MIN: '100000',
    RATE_LIMIT_APP_KEY_PER_SOURCE_PER_MIN: '100000',
    // The document check has its own tests (document-check.test.ts); face tests use pages whose MRZ names someone else.
    DOCUMENT_OCR: 'false',
    ...overrides,
  });
  return {
    config,
    databaseUrl: url.toString(),
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: DATABASE_URL_TEST });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}
