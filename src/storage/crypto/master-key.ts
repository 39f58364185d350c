import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../../config/env.js';

/**
 * The master key wraps every subject's data key. Production takes it from MASTER_KEY (the config
 * refuses to start without it); development and the embedded mode generate one once into DATA_DIR.
 */
export function loadMasterKey(config: Pick<Config, 'MASTER_KEY' | 'dataDir'>): Buffer {
  if (config.MASTER_KEY) return Buffer.from(config.MASTER_KEY, 'base64');
  const file = path.join(config.dataDir, 'keys', 'master.key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}
