import type { Queryable } from '../database/database.js';

/** Office-level data keys (e.g. for consent evidence), wrapped by the master key. */
export class SystemKeyRepository {
  constructor(private readonly db: Queryable) {}

  async find(name: string): Promise<Buffer | null> {
    const [row] = await this.db.query<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM system_keys WHERE name = $1', [name]);
    return row?.wrapped_key ?? null;
  }

  /** Inserts unless present; returns the stored key, so concurrent creators agree. */
  async insertIfAbsent(name: string, wrappedKey: Buffer): Promise<Buffer> {
    await this.db.query('INSERT INTO system_keys (name, wrapped_key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, wrappedKey]);
    return (await this.find(name))!;
  }

  async all(): Promise<{ name: string; wrappedKey: Buffer }[]> {
    const rows = await this.db.query<{ name: string; wrapped_key: Buffer }>('SELECT name, wrapped_key FROM system_keys ORDER BY name');
    return rows.map((r) => ({ name: r.name, wrappedKey: r.wrapped_key }));
  }

  async replace(name: string, wrappedKey: Buffer): Promise<void> {
    await this.db.query('UPDATE system_keys SET wrapped_key = $2 WHERE name = $1', [name, wrappedKey]);
  }
}
