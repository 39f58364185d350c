import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { cli, exitOf, productEnv, startProcess } from '../support/processes.js';
import { createTestEnvironment, type TestEnvironment } from '../support/services.js';
import { createConsentingSubject } from '../support/stack.js';

// Redis as production should run it: TLS only (no plain port), the default user off, an ACL user for the service.
// The product needs no code for it: `rediss://user:password@host:port` and the office's CA in NODE_EXTRA_CA_CERTS.
const dir = mkdtempSync(path.join(tmpdir(), 'zinda-redis-tls-'));
let redis: ChildProcess;
let port = 0;
let env: TestEnvironment;

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

beforeAll(async () => {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Zinda test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'redis.key', '-out', 'redis.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'redis.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'redis.pem', '-days', '2', '-extfile', 'san.ext');
  port = await freePort();
  redis = spawn('redis-server', [
    '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction', '--tls-cert-file', path.join(dir, 'redis.pem'), '--tls-key-file', path.join(dir, 'redis.key'),
    '--tls-ca-cert-file', path.join(dir, 'ca.pem'), '--tls-auth-clients', 'no',
    '--user', 'default', 'off', '--user', 'zinda', 'on', '>s3cret-for-tests', '~*', '&*', '+@all',
  ], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  env = await createTestEnvironment({ REDIS_URL: `rediss://zinda:s3cret-for-tests@127.0.0.1:${port}` });
});

afterAll(async () => {
  redis?.kill('SIGKILL');
  await env?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis over TLS with an ACL user', () => {
  it('serves a whole enrolment through it, and is not ready with a wrong password', async () => {
    const procEnv = { ...productEnv(env.config), PORT: '0', NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') };
    const key = cli(procEnv, 'keys', 'create', '--role', 'operator');
    const proc = await startProcess('all', procEnv, 'SIGTERM or Ctrl-C stops it');
    try {
      const client = new ApiClient(`http://127.0.0.1:${/"port":(\d+)/.exec(proc.output())![1]}`, key);
      expect((await client.json('GET', '/readyz')).status).toBe(200);
      await createConsentingSubject(client, 'PN-TLS');
      const photo = 'samples/faces/sample5-face5.jpg';
      const res = await client.multipart('/v1/subjects/PN-TLS/enrollments', { selfie: readFileSync(photo), document: await makeSyntheticPassportPage(photo) });
      expect(res.status).toBe(202);
      expect((await client.waitForSubmission(res.body.submissionId, 90_000)).status).toBe('completed');
      expect(proc.output()).not.toContain('s3cret-for-tests');
    } finally {
      proc.kill('SIGTERM');
      await exitOf(proc);
    }

    const wrong = { ...procEnv, REDIS_URL: `rediss://zinda:wrong@127.0.0.1:${port}` };
    const api = await startProcess('api', wrong, 'SIGTERM or Ctrl-C stops it');
    try {
      const client = new ApiClient(`http://127.0.0.1:${/"port":(\d+)/.exec(api.output())![1]}`, key);
      const ready = await client.json('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.find((c: { name: string }) => c.name === 'redis').ok).toBe(false);
      expect(api.output()).not.toMatch(/zinda:wrong/);
    } finally {
      api.kill('SIGTERM');
      await exitOf(api);
    }
  });
});
