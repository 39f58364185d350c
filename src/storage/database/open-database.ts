import path from 'node:path';
import type { Config } from '../../config/env.js';
import type { Database } from './database.js';
import { createPgliteDatabase } from './pglite.database.js';
import { createPostgresDatabase } from './postgres.database.js';

/** A real PostgreSQL when DATABASE_URL is set, else the embedded one under DATA_DIR/db. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) return createPostgresDatabase(config.DATABASE_URL);
  return createPgliteDatabase(path.join(config.dataDir, 'db'));
}
