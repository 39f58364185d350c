import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from './database.js';
import { guardDatabase } from './transaction-guard.js';
import { embeddedSocketDir, servePgliteSocket, type PgliteSocketServer } from './pglite-socket.server.js';

/** Options for the embedded database. */
export interface PgliteOptions {
  /** Serve it to the operator CLI on a private Unix socket while this process holds it (the all-in-one service). */
  readonly serveSocket?: boolean;
  /** Told when the socket cannot be served (the process runs on; the CLI then asks to stop it first). */
  readonly onSocketError?: (error: Error) => void;
}

/**
 * Embedded PostgreSQL for `npm start` on a single machine. PGlite holds its data directory
 * exclusively, so this mode serves one process (API and workers together).
 */
export async function createPgliteDatabase(dataDir: string, options: PgliteOptions = {}): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  const db = await PGlite.create(dataDir).catch((error: unknown) => {
    releaseLock();
    throw error;
  });
  let socket: PgliteSocketServer | null = null;
  if (options.serveSocket) {
    socket = await servePgliteSocket(db, embeddedSocketDir(dataDir)).catch((error: unknown) => {
      options.onSocketError?.(error as Error);
      return null;
    });
  }

  const run = async <T>(q: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]) =>
    (await q.query<T>(sql, params as unknown[] | undefined)).rows.map(normaliseRow) as T[];

  // One connection: the outer handle used inside a transaction would wait for that transaction forever.
  return guardDatabase({
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (fn) =>
      db.transaction((t) => fn({ query: (sql, params) => run(t, sql, params), exec: async (sql) => void (await t.exec(sql)) })),
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      await socket?.close();
      await db.close();
      releaseLock();
    },
  });
}

/**
 * PGlite does not guard its directory: two processes opening it would corrupt it. A pid lock file
 * makes the second one stop with a clear message instead (a lock left by a dead process is taken over).
 */
function lockDataDir(dataDir: string): () => void {
  const lock = lockFile(dataDir);
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = embeddedDatabaseHolder(dataDir);
    if (holder !== null) {
      throw new Error(`The embedded database in ${dataDir} is in use by process ${holder}. ` +
        'Stop it first, or run against PostgreSQL (DATABASE_URL) to use several processes.');
    }
    writeFileSync(lock, String(process.pid));
  }
  return () => rmSync(lock, { force: true });
}

/** The pid of another live process holding the embedded database in `dataDir`, or null when none does. */
export function embeddedDatabaseHolder(dataDir: string): number | null {
  let holder: number;
  try {
    holder = Number(readFileSync(lockFile(dataDir), 'utf8'));
  } catch {
    return null;
  }
  return holder && holder !== process.pid && isAlive(holder) ? holder : null;
}

function lockFile(dataDir: string): string {
  return path.join(dataDir, '.zinda.lock');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** bytea arrives as Uint8Array from PGlite and as Buffer from node-postgres; repositories expect Buffer. */
function normaliseRow<T>(row: T): T {
  const r = row as Record<string, unknown>;
  for (const [key, value] of Object.entries(r)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      r[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}
