import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import type { Database } from '../../src/storage/database/database.js';
import { openDatabaseForCli } from '../../src/storage/database/open-database.js';
import { createPgliteDatabase } from '../../src/storage/database/pglite.database.js';
import { embeddedSocketDir, embeddedSocketUrl } from '../../src/storage/database/pglite-socket.server.js';
import { createPostgresDatabase } from '../../src/storage/database/postgres.database.js';

// The all-in-one process serves its embedded database to the CLI on a Unix socket; both share PGlite's one session.
const root = mkdtempSync(path.join(tmpdir(), 'zinda-socket-'));
const dir = path.join(root, 'db');
const url = embeddedSocketUrl(embeddedSocketDir(dir));
let service: Database;
let client: Database;

beforeAll(async () => {
  service = await createPgliteDatabase(dir, { serveSocket: true });
  await service.exec('CREATE TABLE t (id int PRIMARY KEY, note text, bytes bytea)');
  client = createPostgresDatabase(url, 1);
  await client.query('SELECT 1'); // connected before the timings below
}, 120_000);
afterAll(async () => {
  await client?.close();
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('embedded database on its socket', () => {
  it('keeps a socket client transaction and the service own transactions and queries apart', async () => {
    const seen: string[] = [];
    const own = service.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (1, $1)', ['service']);
      await pause(300);
      seen.push(`service sees ${(await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0]!.n}`);
    });
    await pause(50);
    const remote = client.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (2, $1, $2)', ['cli', Buffer.from([1, 2, 3])]);
      await pause(300);
      seen.push(`cli sees ${(await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0]!.n}`);
    });
    await pause(100);
    const plain = service.query<{ n: number }>('SELECT count(*)::int AS n FROM t').then((r) => seen.push(`plain ${r[0]!.n}`));
    await Promise.all([own, remote, plain]);
    // The plain query runs before the client's transaction (and sees 1) or after its commit (and sees 2), never inside it.
    expect([['service sees 1', 'cli sees 2', 'plain 2'], ['service sees 1', 'plain 1', 'cli sees 2']]).toContainEqual(seen);
    expect((await service.query<{ bytes: Buffer }>('SELECT bytes FROM t WHERE id = 2'))[0]!.bytes).toEqual(Buffer.from([1, 2, 3]));
  });

  it('rolls back what a client left open when it fails, vanishes or goes quiet, and the service goes on', async () => {
    await expect(client.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (3, $1)', ['rolled back']);
      await tx.query('SELEC 1');
    })).rejects.toThrow(/syntax error/);

    const vanishing = new pg.Client({ connectionString: url });
    vanishing.on('error', () => undefined);
    await vanishing.connect();
    await vanishing.query('BEGIN');
    await vanishing.query("INSERT INTO t VALUES (4, 'vanished')");
    const waiting = service.query('SELECT id FROM t ORDER BY id');
    (vanishing as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await waiting).toEqual([{ id: 1 }, { id: 2 }]);

    const quiet = new pg.Client({ connectionString: url });
    quiet.on('error', () => undefined);
    await quiet.connect();
    await quiet.query('BEGIN');
    await quiet.query("INSERT INTO t VALUES (5, 'quiet')");
    const started = Date.now();
    expect(await service.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(Date.now() - started).toBeLessThan(15_000);
    await quiet.end().catch(() => undefined);
  }, 60_000);

  it('the CLI goes through the socket while a live process holds the database', async () => {
    const config = loadConfig({ DATA_DIR: root, DATABASE_URL: '' });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      // The test process itself holds the lock file; make another live process its holder, as `npm start` would be.
      writeFileSync(path.join(dir, '.zinda.lock'), String(holder.pid));
      const cli = await openDatabaseForCli(config);
      try {
        expect(await cli.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 2 }]);
      } finally {
        await cli.close();
      }
    } finally {
      holder.kill();
      writeFileSync(path.join(dir, '.zinda.lock'), String(process.pid));
    }
  });

  it('the CLI refuses with what to do when the holder serves no socket', async () => {
    const other = path.join(root, 'other');
    mkdirSync(path.join(other, 'db'), { recursive: true });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(path.join(other, 'db', '.zinda.lock'), String(holder.pid));
      await expect(openDatabaseForCli(loadConfig({ DATA_DIR: other, DATABASE_URL: '' })))
        .rejects.toThrow(new RegExp(`held by process ${holder.pid}.*Stop that process .* run this command again`));
    } finally {
      holder.kill();
    }
  });
});
