import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIRST_ADMIN_USERNAME, FIRST_START_BANNER } from '../../src/bootstrap/first-start.js';
import { ApiClient } from '../support/api-client.js';
import { cli, exitOf, startProcess } from '../support/processes.js';
import { REDIS_URL_TEST } from '../support/services.js';
import { createConsentingSubject } from '../support/stack.js';

// `npm start` on a fresh machine: an empty DATA_DIR, the embedded database, one process.
const dataDir = mkdtempSync(path.join(tmpdir(), 'zinda-first-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = {
  ...process.env, DATA_DIR: dataDir, REDIS_URL: REDIS_URL_TEST, QUEUE_PREFIX: `zt-first-${process.pid}`, PORT: '0',
  LOG_LEVEL: 'info', DATABASE_URL: '', DOCUMENT_OCR: 'false',
};
const BLOCK_END = `\n${'='.repeat(FIRST_START_BANNER.length)}\n`;

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, encoding: 'utf8' });
}

/** Signs in to the dashboard as a person would: the login form's CSRF cookie, then the form post. */
async function signIn(baseUrl: string, username: string, password: string): Promise<number> {
  const form = await fetch(`${baseUrl}/dashboard/login`);
  const csrf = /zinda_login_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
  const res = await fetch(`${baseUrl}/dashboard/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zinda_login_csrf=${csrf}` },
    body: new URLSearchParams({ username, password, _csrf: csrf, next: '/dashboard' }).toString(),
  });
  return res.status;
}

describe('first start on an empty data directory', () => {
  it('prints a working admin key and dashboard password once; the CLI adds keys while the service runs; a restart prints nothing', async () => {
    const first = await startProcess('all', env, BLOCK_END);
    let secrets: string[] = [];
    try {
      const printed = first.output();
      const port = /"port":(\d+)/.exec(printed)![1];
      const baseUrl = `http://127.0.0.1:${port}`;
      const adminKey = /API key \(role admin\):\s+(znd_\S+)/.exec(printed)![1]!;
      const password = /password:\s+(\S+)/.exec(printed)![1]!;

      const admin = new ApiClient(baseUrl, adminKey);
      const verify = await admin.json('GET', '/v1/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body.intact).toBe(true);
      expect(await signIn(baseUrl, FIRST_ADMIN_USERNAME, password)).toBe(303);
      secrets = [adminKey, password];

      // The operator CLI while the service holds the embedded database: through its local socket.
      const operatorKey = cli(env, 'keys', 'create', '--role', 'operator', '--label', 'front desk');
      const operator = new ApiClient(baseUrl, operatorKey);
      await createConsentingSubject(operator, 'PN-FIRST-1');
      expect((await operator.json('GET', '/v1/subjects/PN-FIRST-1')).status).toBe(200);
      const staff = runCli('staff', 'create', '--username', 'malika', '--role', 'reviewer');
      expect(staff.status, staff.stderr).toBe(0);
      expect(await signIn(baseUrl, 'malika', staff.stdout.trim().split('\n').at(-1)!)).toBe(303);

      const listed = runCli('keys', 'list');
      expect(listed.status, listed.stderr).toBe(0);
      const operatorKeyId = operatorKey.split('_')[1]!;
      expect(listed.stdout).toMatch(new RegExp(`${operatorKeyId}\\s+operator .* active\\s+front desk`));
      expect(listed.stdout).toMatch(/\badmin\b.*active\s+first start/);
      expect(listed.stdout).not.toContain('znd_');

      const revoked = runCli('keys', 'revoke', operatorKeyId);
      expect(revoked.status, revoked.stderr).toBe(0);
      expect(revoked.stdout).toContain(`Revoked ${operatorKeyId}`);
    } finally {
      first.kill('SIGTERM');
      expect(await exitOf(first)).toBe(0);
    }
    expect(first.output().split(FIRST_START_BANNER).length).toBe(2);
    // The structured log names the key id, never the key or the password.
    const logLines = first.output().split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.some((l) => l.includes('first start'))).toBe(true);
    for (const secret of secrets) expect(logLines.join('\n')).not.toContain(secret);

    const second = await startProcess('all', env, 'SIGTERM or Ctrl-C stops it');
    const port = /"port":(\d+)/.exec(second.output())![1];
    expect((await new ApiClient(`http://127.0.0.1:${port}`).json('GET', '/readyz')).status).toBe(200);
    second.kill('SIGTERM');
    // Exit 0 means the SIGTERM handler, installed after the first-start step, was in place: that step had run.
    expect(await exitOf(second)).toBe(0);
    expect(second.output()).not.toContain(FIRST_START_BANNER);
    expect(second.output()).not.toContain('znd_');
  }, 600_000);

  it('the CLI works on the embedded database again once the service has stopped', () => {
    const listed = runCli('keys', 'list');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/revoked/);
  }, 120_000);

  it('answers --help without touching the database', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], {
      env: { ...env, DATA_DIR: path.join(dataDir, 'never-created') }, encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('keys list');
    expect(help.stdout).toContain('keys create --role');
  });
});
