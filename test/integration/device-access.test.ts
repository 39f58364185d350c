import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/bootstrap/roles.js';
import { ROLES } from '../../src/domain/access/roles.js';
import { consentBody, linkPhone, PASSPORT, startStack, type Stack } from '../support/stack.js';

// Object-level authorisation (docs/SECURITY.md): every route that names a subject or a submission, called by every
// kind of mobile caller and every staff role, with the status each must get.
let stack: Stack;
const SELFIE = readFileSync('samples/faces/sample1-face1.jpg');
const CALLERS = ['app key alone', "another subject's device", 'revoked device', 'expired device', 'own device', ...ROLES.filter((r) => r !== 'mobile-client')] as const;
type Caller = (typeof CALLERS)[number];
const tokens = {} as Record<Caller, string>;
const params: Record<string, string> = {
  subjectId: 'PN-MX-A', consentId: '', id: '', credentialId: 'ffffffffffffffff', role: 'selfie',
  holdId: '00000000-0000-4000-8000-000000000005', campaignId: '00000000-0000-4000-8000-000000000003',
};

beforeAll(async () => {
  stack = await startStack();
  for (const ref of ['PN-MX-A', 'PN-MX-B']) {
    expect((await stack.office.json('POST', '/v1/subjects', { subjectId: ref, passport: PASSPORT })).status).toBe(201);
  }
  const phone = stack.client;
  const own = await linkPhone(phone, 'PN-MX-A', 'own');
  params.consentId = (await phone.json('POST', '/v1/subjects/PN-MX-A/consents', consentBody())).body.id;
  params.id = (await phone.multipart('/v1/subjects/PN-MX-A/enrollments', { selfie: SELFIE, document: SELFIE })).body.submissionId;
  const revoked = await linkPhone(phone.withKey(stack.keys['mobile-client']), 'PN-MX-A', 'revoked');
  const expired = await linkPhone(phone.withKey(stack.keys['mobile-client']), 'PN-MX-A', 'expired');
  const other = await linkPhone(phone.withKey(stack.keys['mobile-client']), 'PN-MX-B', 'other subject');
  await stack.service.platform.db.query(`UPDATE device_credentials SET revoked_at = now() WHERE id = $1`, [revoked.split('_')[2]]);
  await stack.service.platform.db.query(`UPDATE device_credentials SET expires_at = now() - interval '1 day' WHERE id = $1`, [expired.split('_')[2]]);
  Object.assign(tokens, {
    'app key alone': stack.keys['mobile-client'], "another subject's device": other, 'revoked device': revoked, 'expired device': expired,
    'own device': own, reviewer: stack.keys.reviewer, operator: stack.keys.operator, auditor: stack.keys.auditor, admin: stack.keys.admin,
  });
});
afterAll(async () => {
  await stack?.stop();
});

// Expected status per route for the own device and each staff role (body `{}`); the other mobile callers are
// fixed by rule below. 400: the body `{}` is refused after access was granted (a phone's withdrawal needs a selfie, an
// operator's the identity check; a phone's consent with a selfie its statement); 409 on verifications and selfie withdrawals: not enrolled yet; 404 with another code: the object named (a credential) does not exist for this subject.
const EXPECTED: Record<string, Partial<Record<Caller, number>>> = {
  'GET /v1/subjects/:subjectId': { 'own device': 200, reviewer: 200, operator: 200, auditor: 403, admin: 200 },
  'POST /v1/subjects/:subjectId/enrollments': { 'own device': 202, reviewer: 403, operator: 202, auditor: 403, admin: 202 },
  'POST /v1/subjects/:subjectId/verifications': { 'own device': 409, reviewer: 403, operator: 409, auditor: 403, admin: 409 },
  'GET /v1/submissions/:id': { 'own device': 200, reviewer: 200, operator: 200, auditor: 403, admin: 200 },
  'POST /v1/subjects/:subjectId/consents': { 'own device': 400, reviewer: 403, operator: 400, auditor: 403, admin: 400 },
  'GET /v1/subjects/:subjectId/consents': { 'own device': 200, reviewer: 200, operator: 200, auditor: 200, admin: 200 },
  'POST /v1/subjects/:subjectId/consents/:consentId/withdraw': { 'own device': 400, reviewer: 403, operator: 400, auditor: 403, admin: 400 },
  'POST /v1/subjects/:subjectId/consents/:consentId/withdrawal-requests': { 'own device': 409, reviewer: 403, operator: 403, auditor: 403, admin: 403 },
  'POST /v1/subjects/:subjectId/consent-requests': { 'own device': 400, reviewer: 403, operator: 403, auditor: 403, admin: 403 },
  'GET /v1/subjects/:subjectId/access-report': { 'own device': 200, reviewer: 403, operator: 200, auditor: 200, admin: 200 },
  'GET /v1/subjects/:subjectId/retention': { 'own device': 200, reviewer: 200, operator: 200, auditor: 200, admin: 200 },
  'POST /v1/subjects/:subjectId/liveness-challenges': { 'own device': 201, reviewer: 403, operator: 201, auditor: 403, admin: 201 },
  'GET /v1/subjects/:subjectId/device-credentials': { 'own device': 200, reviewer: 403, operator: 200, auditor: 200, admin: 200 },
  'POST /v1/subjects/:subjectId/device-credentials/:credentialId/revoke': { 'own device': 404, reviewer: 403, operator: 404, auditor: 403, admin: 404 },
};

describe('device access matrix', () => {
  it('a mobile caller reaches a subject only with that subject\'s live device credential; staff roles are unchanged', async () => {
    const routes = apiRoutes(stack.service, []).filter((r) => r.roles !== 'public' && (r.path.includes(':subjectId') || r.mobileScope === 'submission'));
    const mobileRoutes = routes.filter((r) => (r.roles as readonly string[]).includes('mobile-client'));
    expect(mobileRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual(Object.keys(EXPECTED).sort());
    const seen: string[] = [];
    const missing = async (route: (typeof routes)[number]) => {
      const res = await call(route, tokens['own device'], { subjectId: 'PN-MX-NONE', id: '00000000-0000-4000-8000-0000000000ff' });
      return res.body;
    };
    // Withdrawal last: were one carried out, it would end the consent the other cells read.
    const ordered = [...routes].sort((a, b) => Number(a.path.endsWith('/withdraw')) - Number(b.path.endsWith('/withdraw')));
    for (const route of ordered) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      const allowsPhone = (route.roles as readonly string[]).includes('mobile-client');
      for (const caller of CALLERS) {
        const res = await call(route, tokens[caller]);
        seen.push(`${name} | ${caller}: ${res.status}`);
        const staff = (ROLES as readonly string[]).includes(caller);
        if (staff) {
          const expected = EXPECTED[name]?.[caller as Exclude<Caller, 'own device'>] ?? ((route.roles as readonly string[]).includes(caller) ? undefined : 403);
          if (expected !== undefined) expect(res.status, `${name} as ${caller}`).toBe(expected);
          else expect([401, 403], `${name} as ${caller}`).not.toContain(res.status);
        } else if (!allowsPhone) {
          expect(res.status, `${name} as ${caller}`).toBe(caller === 'revoked device' || caller === 'expired device' ? 401 : 403);
        } else if (caller === 'revoked device' || caller === 'expired device') {
          expect([res.status, res.body.error.code], `${name} as ${caller}`).toEqual([401, 'UNAUTHORIZED']);
        } else if (caller === 'own device') {
          expect(res.status, `${name} as own device`).toBe(EXPECTED[name]!['own device']);
        } else {
          // The app key alone and another subject's phone: exactly the answer for a subject or submission that does not exist.
          const absent = await missing(route);
          expect(res.status, `${name} as ${caller}`).toBe(404);
          expect(res.body.error, `${name} as ${caller}`).toEqual({ ...absent.error, message: absent.error.message.replace(/PN-MX-NONE|0{8}-0{4}-4000-8000-0{10}ff/, route.path.includes(':subjectId') ? 'PN-MX-A' : params.id) });
        }
      }
    }
    expect(seen.length).toBe(routes.length * CALLERS.length);
  });
});

async function call(route: { method: string; path: string }, token: string, override: Record<string, string> = {}) {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => override[name] ?? params[name]!);
  // Upload routes get a selfie (and a document page), the others `{}`: past the body parsers, so access is what decides.
  const upload = /\/(enrollments|verifications|withdrawal-requests|consent-requests)$/.test(route.path);
  const form = new FormData();
  form.append('selfie', new Blob([new Uint8Array(SELFIE)]), 'selfie.jpg');
  if (route.path.endsWith('/enrollments')) form.append('document', new Blob([new Uint8Array(SELFIE)]), 'document.jpg');
  if (route.path.endsWith('/consent-requests')) form.append('evidence', new Blob([new Uint8Array(Buffer.from('signed'))]), 'evidence.jws');
  const res = await fetch(stack.client.baseUrl + path, {
    method: route.method.toUpperCase(),
    headers: { authorization: `Bearer ${token}`, ...(upload ? {} : { 'content-type': 'application/json' }) },
    body: route.method === 'post' ? (upload ? form : '{}') : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) as any };
}
