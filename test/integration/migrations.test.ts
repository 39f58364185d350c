import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from '../../src/storage/database/pglite.database.js';
import { createPostgresDatabase } from '../../src/storage/database/postgres.database.js';
import { migrateDown, migrateUp } from '../../src/storage/database/migrator.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { createTestEnvironment, type TestEnvironment } from '../support/services.js';

const tables = async (db: { query: <T>(sql: string) => Promise<T[]> }) =>
  (await db.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.t);

describe('migrations run the same SQL on PostgreSQL and on embedded PGlite', () => {
  let env: TestEnvironment | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'zinda-pglite-'));
  afterAll(async () => {
    await env?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PostgreSQL: up, idempotent re-run, down, up again', async () => {
    env = await createTestEnvironment();
    const db = createPostgresDatabase(env.databaseUrl);
    try {
      expect(await migrateUp(db)).toEqual(migrations.map((m) => `${m.id}-${m.name}`));
      expect(await migrateUp(db)).toEqual([]);
      expect(await tables(db)).toContain('stored_items');
      await migrateDown(db, migrations.length);
      expect(await tables(db)).toEqual(['schema_migrations']);
      expect((await migrateUp(db)).length).toBe(migrations.length);
    } finally {
      await db.close();
    }
  });

  it('PGlite: the same migrations, and a second process is refused the directory', async () => {
    const db = await createPgliteDatabase(dir);
    try {
      await migrateUp(db);
      expect(await tables(db)).toContain('reference_templates');
      const locked = await import('node:child_process').then(({ spawnSync }) => spawnSync(process.execPath, [
        '--import', 'tsx', '-e',
        `import('./src/storage/database/pglite.database.ts').then(m => m.createPgliteDatabase(${JSON.stringify(dir)})).then(() => process.exit(0), e => { console.error(e.message); process.exit(3); })`,
      ], { encoding: 'utf8' }));
      expect(locked.status).toBe(3);
      expect(locked.stderr).toMatch(/in use by process/);
    } finally {
      await db.close();
    }
  });
});
