import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/env.js';
import { ConfigError } from '../../../src/shared/errors.js';

describe('configuration', () => {
  it('has working defaults for a single-machine start', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, QUEUE_PREFIX: 'zinda', embeddedDatabase: true, UPLOAD_MAX_BYTES: 10 * 1024 * 1024 });
  });

  it('lists every bad key at once', () => {
    try {
      loadConfig({ PORT: 'eighty', UPLOAD_MAX_BYTES: '-1', QUEUE_PREFIX: 'has space' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const key of ['PORT', 'UPLOAD_MAX_BYTES', 'QUEUE_PREFIX']) expect(problems).toContain(key);
    }
  });

  it('refuses to start in production without a master key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MASTER_KEY/);
    expect(() => loadConfig({ MASTER_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
  });

  it('is the only module that reads process.env', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.includes(`${path.sep}config${path.sep}`) && readFileSync(file, 'utf8').includes('process.env')) {
          offenders.push(file);
        }
      }
    };
    walk('src');
    walk('workers');
    expect(offenders).toEqual([]);
  });
});
