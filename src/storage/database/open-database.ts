import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/env.js';
import type { Database } from './database.js';
import { createPgliteDatabase, embeddedDatabaseHolder } from './pglite.database.js';
import { embeddedSocketDir, embeddedSocketFile, embeddedSocketUrl } from './pglite-socket.server.js';
import { createPostgresDatabase } from './postgres.database.js';

/**
 * The service's database: a real PostgreSQL when DATABASE_URL is set, else the embedded one under DATA_DIR/db,
 * which this process then also serves to the operator CLI on a private Unix socket.
 */
export async function openDatabase(config: Config, onSocketError?: (error: Error) => void): Promise<Database> {
  if (config.DATABASE_URL) return createPostgresDatabase(config.DATABASE_URL);
  return createPgliteDatabase(embeddedDir(config), { serveSocket: true, onSocketError });
}

/**
 * The operator CLI's database. The embedded one is opened directly while no service holds it, and reached through
 * the running service's socket while one does (PGlite's files belong to one process at a time).
 */
export async function openDatabaseForCli(config: Config): Promise<Database> {
  if (config.DATABASE_URL) return createPostgresDatabase(config.DATABASE_URL);
  const dir = embeddedDir(config);
  const holder = embeddedDatabaseHolder(dir);
  if (holder === null) return createPgliteDatabase(dir);
  const socketDir = embeddedSocketDir(dir);
  if (!existsSync(embeddedSocketFile(socketDir))) {
    throw new Error(`The embedded database in ${dir} is held by process ${holder}, which does not serve it to this `
      + 'command (no socket). Stop that process (Ctrl-C where `npm start` runs) and run this command again, or run '
      + 'against PostgreSQL (DATABASE_URL).');
  }
  // One connection: the service serialises its socket clients with its own work anyway.
  return createPostgresDatabase(embeddedSocketUrl(socketDir), 1);
}

function embeddedDir(config: Config): string {
  return path.join(config.dataDir, 'db');
}
