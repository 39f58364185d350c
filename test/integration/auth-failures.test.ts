import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Refused authentications (issue #16, items 4 and 5) over HTTP on the real stack: counted per source and minute
// instead of growing the append-only audit trail, and a key id's wrong secrets limited per source address.
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { AUTH_FAILURE_ALERT_PER_MIN: '30', AUTH_KEY_MAX_FAILURES: '5' } });
});
afterAll(async () => {
  await stack?.stop();
});

const count = async (sql: string, params: unknown[] = []) => (await stack.service.platform.db.query<{ n: number }>(sql, params))[0]!.n;
const auditRows = () => count('SELECT count(*)::int AS n FROM audit_log');

async function deniedMetric(status: string): Promise<number> {
  const text = await (await fetch(`${stack.client.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`zinda_auth_denied_total{status="${status}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function get(path: string, headers: Record<string, string>) {
  const res = await fetch(`${stack.client.baseUrl}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: await res.json() as { error?: { code: string } } };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i += 1) await new Promise((r) => setTimeout(r, 50));
}

describe('refused authentications', () => {
  it('200 bad requests from one source leave one or two count rows, the metric counts 200, the trail grows by the alert only', async () => {
    const source = '203.0.113.7';
    const auditBefore = await auditRows();
    const metricBefore = await deniedMetric('401');
    for (let i = 0; i < 200; i += 1) {
      const res = await get('/v1/consent-texts', { 'x-forwarded-for': source, authorization: i % 2 ? 'Bearer not-a-key' : '' });
      expect(res.status).toBe(401);
    }
    const failures = () => count('SELECT coalesce(sum(failures), 0)::int AS n FROM auth_failures WHERE source = $1', [`ip:${source}`]);
    await until(async () => (await failures()) === 200);
    expect(await failures()).toBe(200);
    // One row per source per minute: two when the run straddles a minute boundary.
    expect(await count('SELECT count(*)::int AS n FROM auth_failures WHERE source = $1', [`ip:${source}`])).toBeLessThanOrEqual(2);
    expect((await deniedMetric('401')) - metricBefore).toBe(200);

    const alerts = await stack.service.platform.audit.find({ action: 'alert.auth-failures', limit: 10 });
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts.length).toBeLessThanOrEqual(2);
    expect(alerts[0]).toMatchObject({ outcome: 'alert', targetId: `ip:${source}`, details: { failures: 31, threshold: 30 } });
    expect((await auditRows()) - auditBefore).toBe(alerts.length);
  });

  it('still audits a refusal for a wrong role (a known caller)', async () => {
    const before = await stack.service.platform.audit.find({ action: 'auth.denied', limit: 100 });
    expect((await get('/v1/audit', { authorization: `Bearer ${stack.keys['mobile-client']}` })).status).toBe(403);
    await until(async () => (await stack.service.platform.audit.find({ action: 'auth.denied', limit: 100 })).length > before.length);
    expect((await stack.service.platform.audit.find({ action: 'auth.denied', limit: 100 })).length).toBe(before.length + 1);
  });
});

describe('wrong secrets for one key id', () => {
  it('are refused from that address after the limit, 429 with Retry-After, while the key works from elsewhere', async () => {
    const { key } = await stack.service.access.apiKeys.create('operator', 'throttle test');
    const wrong = `${key.slice(0, -6)}AAAAAA`;
    const attacker = { 'x-forwarded-for': '198.51.100.9', authorization: `Bearer ${wrong}` };
    for (let i = 0; i < 5; i += 1) expect((await get('/v1/consent-texts', attacker)).status).toBe(401);
    const throttled = await get('/v1/consent-texts', attacker);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error?.code).toBe('AUTH_THROTTLED');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right key from another address is not locked out by the stranger.
    expect((await get('/v1/consent-texts', { 'x-forwarded-for': '192.0.2.44', authorization: `Bearer ${key}` })).status).toBe(200);
  });

  it('an unknown key id gets the same answers, so the limit does not reveal which key ids exist', async () => {
    const made = `znd_0123456789abcdef_${'A'.repeat(43)}`;
    const attacker = { 'x-forwarded-for': '198.51.100.10', authorization: `Bearer ${made}` };
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await get('/v1/consent-texts', attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('key ids are not shown to phones', () => {
  it('shows a phone who recorded a consent, placed a hold or read its data as app, office or its device, staff the key id', async () => {
    await createConsentingSubject(stack.client, 'PN-H2-KEYS');
    const operator = stack.client.withKey(stack.keys.operator);
    expect((await operator.json('POST', '/v1/subjects/PN-H2-KEYS/legal-holds', { reason: 'court case 12/2026' })).status).toBe(201);

    const asPhone = await stack.client.json('GET', '/v1/subjects/PN-H2-KEYS/retention');
    expect(asPhone.status).toBe(200);
    expect(asPhone.body.holds[0].placedBy).toBe('office');
    const consents = await stack.client.json('GET', '/v1/subjects/PN-H2-KEYS/consents');
    expect(consents.body.consents[0].recordedBy).toMatch(/^device:[0-9a-f]{16}$/);
    const report = await stack.client.json('GET', '/v1/subjects/PN-H2-KEYS/access-report');
    expect(report.status).toBe(200);
    for (const body of [asPhone.body, consents.body, report.body]) expect(JSON.stringify(body)).not.toMatch(/api-key:|staff:/);

    const operatorKeyId = /^znd_([0-9a-f]{16})_/.exec(stack.keys.operator)![1];
    const asStaff = await operator.json('GET', '/v1/subjects/PN-H2-KEYS/retention');
    expect(asStaff.body.holds[0].placedBy).toBe(`api-key:${operatorKeyId}(operator)`);
  });
});
