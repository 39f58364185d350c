import { migrations as allMigrations } from '../migrations/index.js';
import type { Migration } from '../migrations/migration.js';
import { ConfigError } from '../../shared/errors.js';
import type { Database } from './database.js';

// Arbitrary constant: the advisory lock that serialises migrations when API and workers start together.
const MIGRATION_LOCK = 727_001;

/** Applies pending migrations in order, each in its own transaction; safe to call from every process. */
export async function migrateUp(db: Database, migrations: readonly Migration[] = allMigrations): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (rows.length) return false;
      await tx.exec(migration.up);
      await tx.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [migration.id, migration.name]);
      return true;
    });
    if (done) applied.push(`${migration.id}-${migration.name}`);
  }
  return applied;
}

/** Migrations this build knows that the database has not applied; read-only (a runtime role may call it). */
export async function pendingMigrations(db: Database, migrations: readonly Migration[] = allMigrations): Promise<Migration[]> {
  const [table] = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!table?.t) return [...migrations];
  const applied = new Set((await db.query<{ id: number }>('SELECT id FROM schema_migrations')).map((r) => r.id));
  return migrations.filter((m) => !applied.has(m.id));
}

/**
 * Brings the schema to this build's version at start: applies the migrations (`migrate`), or only checks that they
 * were applied (`verify`, for a role without DDL rights) and refuses to start otherwise.
 */
export async function prepareSchema(db: Database, mode: 'migrate' | 'verify'): Promise<string[]> {
  if (mode === 'migrate') return migrateUp(db);
  const pending = await pendingMigrations(db);
  if (pending.length) {
    throw new ConfigError([`database schema is behind this build (pending: ${pending.map((m) => `${m.id}-${m.name}`).join(', ')}): `
      + 'run `npm run -s cli -- db migrate` with the schema owner\'s role, then start again']);
  }
  return [];
}

/** Reverts the last `steps` applied migrations (operations and tests; never run automatically). */
export async function migrateDown(db: Database, steps = 1, migrations: readonly Migration[] = allMigrations): Promise<string[]> {
  const rows = await db.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id DESC LIMIT $1', [steps]);
  const reverted: string[] = [];
  for (const { id } of rows) {
    const migration = migrations.find((m) => m.id === id);
    if (!migration) throw new Error(`Migration ${id} is applied but unknown to this build`);
    await db.transaction(async (tx) => {
      await tx.exec(migration.down);
      await tx.query('DELETE FROM schema_migrations WHERE id = $1', [id]);
    });
    reverted.push(`${migration.id}-${migration.name}`);
  }
  return reverted;
}
