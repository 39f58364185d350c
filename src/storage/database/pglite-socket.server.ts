import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** node-postgres looks for a server's socket as `<host dir>/.s.PGSQL.<port>`. */
const SOCKET_FILE = '.s.PGSQL.5432';
/** A client holding the database (inside a transaction, or mid extended-protocol exchange) is cut off after this silence. */
const HELD_IDLE_MS = 5_000;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MAX_CLIENTS = 8;

const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
// After these, and outside a transaction block, the backend is back at ReadyForQuery with no half-done exchange.
const BOUNDARY_TYPES = new Set(['S', 'Q']);
const ROLLBACK = queryMessage('ROLLBACK');
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** Where the running all-in-one process serves its embedded database (a private directory under the database's). */
export function embeddedSocketDir(databaseDir: string): string {
  return path.join(databaseDir, '.socket');
}

/** The socket file itself, present while a process serves the database. */
export function embeddedSocketFile(socketDir: string): string {
  return path.join(socketDir, SOCKET_FILE);
}

/** A node-postgres connection string for the socket in `socketDir`. */
export function embeddedSocketUrl(socketDir: string): string {
  return `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
}

/** The socket server; `close` cuts its clients off (rolling back what they left open) and removes the socket. */
export interface PgliteSocketServer {
  close(): Promise<void>;
}

/**
 * Serves one PGlite instance to other processes on this machine (the operator CLI while `npm start` runs) over a
 * Unix socket that only the owner can open, speaking the PostgreSQL wire protocol.
 *
 * PGlite has one backend session, shared with this process's own queries. A client therefore holds PGlite's
 * transaction lock from its first message until it is back at a clean boundary (after Sync or a simple Query, and
 * outside a transaction block): this process's queries and transactions wait meanwhile instead of landing inside
 * the client's transaction, and the client never lands inside theirs. A client that goes quiet while holding it
 * is disconnected and its transaction rolled back. (`@electric-sql/pglite-socket` serialises its own clients only,
 * not against the in-process handle, and pins another PGlite version.)
 */
export async function servePgliteSocket(db: PGlite, socketDir: string): Promise<PgliteSocketServer> {
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  chmodSync(socketDir, 0o700);
  const socketPath = embeddedSocketFile(socketDir);
  // Only one process holds the database directory (its lock file), so a socket file here is a dead process's.
  rmSync(socketPath, { force: true });

  const sessions = new Set<ClientSession>();
  const server = net.createServer((socket) => {
    if (sessions.size >= MAX_CLIENTS) {
      socket.destroy();
      return;
    }
    const session = new ClientSession(db, socket, () => sessions.delete(session));
    sessions.add(session);
  });
  server.maxConnections = MAX_CLIENTS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);

  return {
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...sessions].map((s) => s.end()));
      await closed;
      rmSync(socketPath, { force: true });
    },
  };
}

/** One connected client: splits its byte stream into protocol messages and runs them on PGlite, one at a time. */
class ClientSession {
  private buffer = Buffer.alloc(0);
  private started = false;
  private release: (() => void) | null = null;
  private work: Promise<void> = Promise.resolve();
  private idle: NodeJS.Timeout | undefined;
  private ended: Promise<void> | undefined;

  constructor(private readonly db: PGlite, private readonly socket: net.Socket, private readonly onEnd: () => void) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.work = this.work.then(() => this.drain()).catch(() => { socket.destroy(); });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => void this.end());
  }

  /** Waits for the message in progress, rolls back a transaction the client left open and lets this process go on. */
  end(): Promise<void> {
    this.ended ??= (async () => {
      clearTimeout(this.idle);
      this.socket.destroy();
      await this.work;
      clearTimeout(this.idle);
      if (this.release) {
        // Left mid-exchange: Sync ends it (as the client would have), then an open transaction block is rolled back.
        await this.db.runExclusive(async () => {
          await this.db.execProtocolRaw(SYNC);
          if (this.db.isInTransaction()) await this.db.execProtocolRaw(ROLLBACK);
        }).catch(() => undefined);
        this.unhold();
      }
      this.onEnd();
    })();
    return this.ended;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.ended) return;
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.buffer = this.buffer.subarray(8);
          this.socket.write('N');
          continue;
        }
        if (code !== PROTOCOL_3 || length > MAX_MESSAGE_BYTES) {
          // A cancel request (PGlite has no second backend to signal it to) or something that is not PostgreSQL 3.0.
          this.socket.destroy();
          return;
        }
        if (this.buffer.length < length) return;
        this.started = true;
        await this.run(this.take(length), true);
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = String.fromCharCode(this.buffer[0]!);
      const length = 1 + this.buffer.readInt32BE(1);
      if (length > MAX_MESSAGE_BYTES) {
        this.socket.destroy();
        return;
      }
      if (this.buffer.length < length) return;
      const message = this.take(length);
      // Terminate ends this client's connection, not PGlite's one backend session.
      if (type === 'X') {
        void this.end();
        return;
      }
      await this.run(message, BOUNDARY_TYPES.has(type));
    }
  }

  private take(length: number): Uint8Array {
    const message = new Uint8Array(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async run(message: Uint8Array, boundary: boolean): Promise<void> {
    if (!this.release) this.release = await holdTransactionLock(this.db);
    clearTimeout(this.idle);
    await this.db.runExclusive(() => this.db.execProtocolRawStream(message, {
      onRawData: (data) => { if (!this.socket.destroyed) this.socket.write(Buffer.from(data)); },
    }));
    if (boundary && !this.db.isInTransaction()) this.unhold();
    else if (!this.ended) this.idle = setTimeout(() => void this.end(), HELD_IDLE_MS);
  }

  private unhold(): void {
    this.release?.();
    this.release = null;
  }
}

/** Takes PGlite's transaction lock (what its own query, exec and transaction wait for) until the returned function is called. */
function holdTransactionLock(db: PGlite): Promise<() => void> {
  return new Promise((held) => {
    void db._runExclusiveTransaction(() => new Promise<void>((release) => held(release)));
  });
}

/** A simple-protocol Query message: 'Q', int32 length, the SQL, NUL. */
function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + text.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}
