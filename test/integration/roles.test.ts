import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/bootstrap/roles.js';
import { ROLES } from '../../src/domain/access/roles.js';
import { startStack, type Stack } from '../support/stack.js';

// Every route with every role: who is allowed, who gets 403; nothing reachable without a key.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const PARAMS: Record<string, string> = {
  subjectId: 'PN-ROLES', id: '00000000-0000-4000-8000-000000000001', consentId: '00000000-0000-4000-8000-000000000002', role: 'selfie',
  campaignId: '00000000-0000-4000-8000-000000000003', templateId: '00000000-0000-4000-8000-000000000004',
};

describe('role matrix', () => {
  it('answers 401 without a key and 403 to every role a route does not name', async () => {
    const routes = apiRoutes(stack.service, []).filter((r) => r.roles !== 'public');
    expect(routes.length).toBeGreaterThan(10);
    const matrix: string[] = [];
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => PARAMS[name]!);
      const call = (key?: string) => fetch(stack.client.baseUrl + path, {
        method: route.method.toUpperCase(),
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
        body: route.method === 'post' ? '{}' : undefined,
      });
      expect((await call()).status, `${route.method} ${route.path} without key`).toBe(401);
      for (const role of ROLES) {
        const res = await call(stack.keys[role]);
        const status = res.status;
        const allowed = (route.roles as readonly string[]).includes(role);
        matrix.push(`${route.method.toUpperCase()} ${route.path} ${role}: ${status}`);
        // A route for phones may still want the phone's own credential rather than the app key (see device-access.test.ts).
        const code = status === 403 ? ((await res.json()) as { error: { code: string } }).error.code : null;
        if (allowed) expect([401, 'FORBIDDEN'], `${route.method} ${route.path} as ${role}`).not.toContain(status === 403 ? code : status);
        else expect(status, `${route.method} ${route.path} as ${role}`).toBe(403);
      }
    }
    expect(matrix.length).toBe(routes.length * ROLES.length);
  });
});
