import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeService } from '../../src/bootstrap/service.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/shared/logger.js';
import { migrateUp } from '../../src/storage/database/migrator.js';
import { openDatabase } from '../../src/storage/database/open-database.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { cli, productEnv } from '../support/processes.js';
import { createTestEnvironment, DATABASE_URL_TEST, type TestEnvironment } from '../support/services.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Production runs the service as a role that reads and writes rows and nothing more: the schema owner migrates and
// grants (`cli db migrate`, `cli db grant-runtime`), the service starts with DB_MIGRATE_ON_START=false, checks the
// schema, and does its whole job without DDL; the audit trail cannot be edited even by the service.
const role = `zinda_rt_${randomBytes(4).toString('hex')}`;
let owner: TestEnvironment;
let runtimeUrl: string;
let stack: Stack;

async function asRole(url: string, sql: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  owner = await createTestEnvironment();
  const db = await openDatabase(owner.config);
  await migrateUp(db);
  await db.close();
  expect(await asRole(DATABASE_URL_TEST, `CREATE ROLE ${role} LOGIN`)).toBeNull();
  cli(productEnv(owner.config), 'db', 'grant-runtime', '--role', role);
  const url = new URL(owner.databaseUrl);
  url.username = role;
  runtimeUrl = url.toString();
  stack = await startStack({ worker: true, env: { DATABASE_URL: runtimeUrl, DB_MIGRATE_ON_START: 'false' } });
});

afterAll(async () => {
  await stack?.stop();
  await owner?.cleanup();
  await asRole(DATABASE_URL_TEST, `DROP ROLE IF EXISTS ${role}`);
});

describe('the service on a least-privilege database role', () => {
  it('enrols, audits and keeps retention timers with no DDL right', async () => {
    await createConsentingSubject(stack.client, 'PN-LP1');
    const photo = 'samples/faces/sample3-face2.jpg';
    const res = await stack.client.multipart('/v1/subjects/PN-LP1/enrollments', { selfie: readFileSync(photo), document: await makeSyntheticPassportPage(photo) });
    const result = await stack.client.waitForSubmission(res.body.submissionId);
    expect(result).toMatchObject({ status: 'completed', decision: 'verified' });
    expect(result.retention.length).toBeGreaterThan(0);
    const [row] = await stack.service.platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(row!.n).toBeGreaterThan(0);
  });

  it('cannot create, alter or drop anything, nor edit or delete the audit trail', async () => {
    expect(await asRole(runtimeUrl, 'CREATE TABLE intruder (x int)')).toBe('42501');
    expect(await asRole(runtimeUrl, 'ALTER TABLE subjects ADD COLUMN x int')).toBe('42501');
    expect(await asRole(runtimeUrl, 'DROP TABLE consents')).toBe('42501');
    expect(await asRole(runtimeUrl, 'TRUNCATE stored_items')).toBe('42501');
    expect(await asRole(runtimeUrl, 'DELETE FROM audit_log')).toBe('42501');
    expect(await asRole(runtimeUrl, `UPDATE audit_log SET action = 'nothing'`)).toBe('42501');
  });

  it('refuses to start on a schema behind the build, naming what to run, and changes nothing', async () => {
    const ownerDb = await openDatabase(owner.config);
    const [last] = await ownerDb.query<{ id: number; name: string }>('DELETE FROM schema_migrations WHERE id = (SELECT max(id) FROM schema_migrations) RETURNING id, name');
    try {
      const config = loadConfig({ ...productEnv(owner.config), DATABASE_URL: runtimeUrl, DB_MIGRATE_ON_START: 'false' } as Record<string, string>);
      await expect(composeService(config, createLogger('silent'), config.redisUrl)).rejects.toThrow(/schema is behind.*db migrate/);
    } finally {
      await ownerDb.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [last!.id, last!.name]);
      await ownerDb.close();
    }
  });
});
