import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm test preflight', () => {
  it('stops at once with one line naming what is missing and the command that fixes it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test-preflight.ts'], {
      // Port 9 (discard) on loopback: nothing listens there on a test machine.
      env: { ...process.env, DATABASE_URL_TEST: 'postgres://postgres@127.0.0.1:9/test', REDIS_URL_TEST: 'redis://127.0.0.1:9' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PostgreSQL (127.0.0.1:9, DATABASE_URL_TEST) and Redis (127.0.0.1:9, REDIS_URL_TEST) do not answer');
    expect(lines[0]).toContain('npm run test:fresh');
  }, 60_000);
});
