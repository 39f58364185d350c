import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/bootstrap/roles.js';
import { startStack, type Stack } from '../support/stack.js';

// Query parameters are part of each route's declaration: documented in /openapi.json, validated, and anything
// else refused, so a misspelt parameter is an error the client sees instead of a silently ignored filter.
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('declared query parameters', () => {
  it('every route that reads the query string declares it in its spec, and /openapi.json lists each one', async () => {
    const routes = apiRoutes(stack.service, []);
    const doc = (await stack.client.json('GET', '/openapi.json')).body;
    const readers = routes.filter((r) => /\breq\.query\b/.test(String(r.handler)));
    expect(readers.length).toBeGreaterThanOrEqual(9);
    for (const route of routes) {
      if (readers.includes(route)) expect(route.query, `${route.method} ${route.path}`).toBeDefined();
      const documented = (doc.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')][route.method].parameters as { name: string; in: string }[])
        .filter((p) => p.in === 'query').map((p) => p.name);
      expect(documented, `${route.method} ${route.path}`).toEqual(Object.keys(route.query?.shape ?? {}));
    }
  });

  it('documents the audit trail\'s paging and the access report\'s format and language', async () => {
    const doc = (await stack.client.json('GET', '/openapi.json')).body;
    const audit = doc.paths['/v1/audit'].get.parameters as { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
    expect(audit.filter((p) => p.in === 'query').map((p) => p.name))
      .toEqual(['subjectId', 'actorId', 'action', 'from', 'to', 'afterSeq', 'limit']);
    expect(audit.find((p) => p.name === 'afterSeq')).toMatchObject({ required: false, schema: { type: 'integer', minimum: 0 } });
    expect(audit.find((p) => p.name === 'limit')).toMatchObject({ required: false, schema: { default: 100, maximum: 1000 } });
    const report = doc.paths['/v1/subjects/{subjectId}/access-report'].get.parameters as { name: string; in: string; schema: { enum?: string[] } }[];
    expect(report.find((p) => p.name === 'format')?.schema.enum).toEqual(['json', 'html']);
    expect(report.find((p) => p.name === 'language')?.schema.enum).toEqual(['tg', 'ru', 'en']);
    expect(doc.paths['/v1/campaigns/{campaignId}/subjects'].get.parameters.map((p: { name: string }) => p.name))
      .toEqual(['campaignId', 'state', 'after', 'limit']);
  });

  it('refuses an unknown query parameter with 400 UNKNOWN_QUERY_PARAMETER naming it (?after= on the audit trail)', async () => {
    const auditor = stack.client.withKey(stack.keys.auditor);
    const res = await auditor.json('GET', '/v1/audit?after=5');
    expect([res.status, res.body.error.code]).toEqual([400, 'UNKNOWN_QUERY_PARAMETER']);
    expect(res.body.error.message).toContain('"after"');
    expect(res.body.error.details).toMatchObject({ parameter: 'after', allowed: expect.arrayContaining(['afterSeq', 'limit']) });
    const paged = await auditor.json('GET', '/v1/audit?afterSeq=0&limit=2');
    expect(paged.status).toBe(200);
    expect(paged.body.entries.length).toBeLessThanOrEqual(2);
  });

  it('refuses any query parameter on a route that declares none, and bad values of declared ones', async () => {
    const res = await stack.client.json('GET', '/v1/subjects/PN-404?verbose=1');
    expect([res.status, res.body.error.code, res.body.error.details.allowed]).toEqual([400, 'UNKNOWN_QUERY_PARAMETER', []]);
    const auditor = stack.client.withKey(stack.keys.auditor);
    const bad = await auditor.json('GET', '/v1/audit?limit=lots');
    expect([bad.status, bad.body.error.code, bad.body.error.details.issues[0].path]).toEqual([400, 'INVALID_REQUEST', 'limit']);
    const twice = await auditor.json('GET', '/v1/audit?limit=1&limit=2');
    expect(twice.status).toBe(400);
  });

  it('still asks for a key first: an unauthenticated request with junk parameters is a 401', async () => {
    const res = await stack.client.withKey('').json('GET', '/v1/audit?after=5');
    expect(res.status).toBe(401);
  });
});
