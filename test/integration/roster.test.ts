import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, productEnv } from '../support/processes.js';
import { consentBody, PASSPORT, startStack, type Stack } from '../support/stack.js';

// Registration modes: the pension fund's roster imported by the office (API and CLI), and self-registration by the app.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const CSV = [
  'subjectId,number,surname,givenNames,dateOfBirth,expiryDate,language',
  'pn-r1,A1000001,Rahimov,Aziz,1955-03-14,2030-01-01,tg',
  'PN-R2,A1000002,"Karimova, née Saidova",Mavjuda,1958-07-02,2031-05-05,ru',
  'PN-R3,A1000003,Nazarov,Umed,14.03.1955,2030-01-01,tg',
  '',
  'PN-R4,"A100,broken,Nazarov,Umed,1955-03-14,2030-01-01,tg',
].join('\r\n');

async function importRoster(body: string, type = 'text/csv') {
  const res = await fetch(`${stack.office.baseUrl}/v1/roster/import`, {
    method: 'POST', body, headers: { authorization: `Bearer ${stack.keys.operator}`, 'content-type': type },
  });
  return { status: res.status, body: await res.json() as any };
}

describe('roster import', () => {
  it('creates the valid rows, reports each rejected one by line and reason, and is idempotent', async () => {
    const first = await importRoster(CSV);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 4, created: 2, unchanged: 0, rejected: 2 });
    expect(first.body.rejectedRows).toEqual([
      { line: 4, subjectId: 'PN-R3', code: 'ROW_INVALID', message: expect.stringContaining('dateOfBirth') },
      { line: 6, subjectId: null, code: 'ROW_UNREADABLE', message: 'broken quoting' },
    ]);
    expect(JSON.stringify(first.body)).not.toContain('Nazarov');
    const again = await importRoster(CSV);
    expect(again.body).toMatchObject({ rows: 4, created: 0, unchanged: 2, rejected: 2 });
    const subject = await stack.office.json('GET', '/v1/subjects/PN-R1');
    expect([subject.status, subject.body.language]).toEqual([200, 'tg']);
  });

  it('takes NDJSON, and never overwrites a known pensioner with another document number', async () => {
    const ndjson = [
      JSON.stringify({ subjectId: 'PN-R5', number: 'A1000005', surname: 'Sharipov', givenNames: 'Bakhtiyor', dateOfBirth: '1950-01-01', expiryDate: '2029-01-01' }),
      JSON.stringify({ subjectId: 'PN-R1', number: 'Z9999999', surname: 'Rahimov', givenNames: 'Aziz', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01' }),
      '[1,2]',
    ].join('\n');
    const res = await importRoster(ndjson, 'application/x-ndjson');
    expect(res.body).toMatchObject({ rows: 3, created: 1, unchanged: 0, rejected: 2 });
    expect(res.body.rejectedRows.map((r: { code: string }) => r.code)).toEqual(['SUBJECT_EXISTS_DIFFERENT', 'ROW_UNREADABLE']);
    expect((await importRoster('x', 'application/json')).status).toBe(415);
    const mobile = await fetch(`${stack.office.baseUrl}/v1/roster/import`, {
      method: 'POST', body: CSV, headers: { authorization: `Bearer ${stack.keys['mobile-client']}`, 'content-type': 'text/csv' },
    });
    expect(mobile.status).toBe(403);
  });

  it('imports from a file with the CLI, as the API does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zinda-roster-'));
    const file = path.join(dir, 'roster.csv');
    writeFileSync(file, 'subjectId,number,surname,givenNames,dateOfBirth,expiryDate\nPN-R6,A1000006,Saidov,Farrukh,1949-12-31,2028-01-01\nPN-R1,A1000001,Rahimov,Aziz,1955-03-14,2030-01-01\n');
    expect(cli(productEnv(stack.env.config), 'roster', 'import', file)).toBe('Rows 2: created 1, unchanged 1, rejected 0.');
  }, 60_000);
});

describe('registration modes', () => {
  it('roster (default): the app cannot create a pensioner', async () => {
    const res = await stack.client.json('POST', '/v1/subjects', { subjectId: 'PN-SELF', passport: PASSPORT });
    expect([res.status, res.body.error.code]).toEqual([403, 'SELF_REGISTRATION_DISABLED']);
  });

  it('self: the app registers a pensioner, then records the first consent with the document number', async () => {
    const self = await startStack({ env: { SUBJECT_REGISTRATION: 'self' } });
    try {
      const created = await self.client.json('POST', '/v1/subjects', { subjectId: 'PN-SELF', passport: PASSPORT });
      expect(created.status).toBe(201);
      expect((await self.client.json('GET', '/v1/subjects/PN-SELF')).status).toBe(404);
      const consent = await self.client.json('POST', '/v1/subjects/PN-SELF/consents', consentBody({ documentNumber: PASSPORT.number }));
      expect(consent.status).toBe(201);
    } finally {
      await self.stop();
    }
  }, 60_000);
});
