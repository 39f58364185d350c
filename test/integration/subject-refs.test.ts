import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/storage/database/postgres.database.js';
import { migrateUp } from '../../src/storage/database/migrator.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { createTestEnvironment } from '../support/services.js';
import { consentBody, PASSPORT, startStack, type Stack } from '../support/stack.js';

// A pension number is one pensioner however it is typed: pn-id10, PN-ID10 and a full-width phone keyboard's
// ＰＮ－ＩＤ１０ are the same subject at every route that takes one.
let stack: Stack;
let office: Stack['client'];

beforeAll(async () => {
  stack = await startStack();
  office = stack.client.withKey(stack.keys.operator);
});
afterAll(async () => {
  await stack?.stop();
});

describe('pension numbers are case-insensitive at the API', () => {
  it('registers pn-id10 as PN-ID10 and refuses PN-ID10 again as the same pensioner (409 SUBJECT_EXISTS)', async () => {
    const created = await office.json('POST', '/v1/subjects', { subjectId: ' pn-id10 ', passport: PASSPORT });
    expect([created.status, created.body.subjectId]).toEqual([201, 'PN-ID10']);
    const again = await office.json('POST', '/v1/subjects', { subjectId: 'PN-ID10', passport: PASSPORT });
    expect([again.status, again.body.error.code]).toEqual([409, 'SUBJECT_EXISTS']);
    expect((await stack.service.platform.db.query(`SELECT 1 FROM subjects WHERE upper(external_ref) = 'PN-ID10'`)).length).toBe(1);
  });

  it('finds the subject under any spelling in the path, and records consent against the one record', async () => {
    for (const spelling of ['pn-id10', 'Pn-Id10', encodeURIComponent('ＰＮ－ＩＤ１０')]) {
      const got = await office.json('GET', `/v1/subjects/${spelling}`);
      expect([got.status, got.body.subjectId], spelling).toEqual([200, 'PN-ID10']);
    }
    expect((await office.json('POST', '/v1/subjects/pn-id10/consents', consentBody({ identityCheck: 'passport-seen' }))).status).toBe(201);
    expect((await office.json('GET', '/v1/subjects/PN-ID10')).body.consent).toBe('active');
  });

  it('filters the audit trail by any spelling', async () => {
    const auditor = stack.client.withKey(stack.keys.auditor);
    const lower = await auditor.json('GET', '/v1/audit?subjectId=pn-id10');
    expect(lower.status).toBe(200);
    expect(lower.body.entries.map((e: { action: string }) => e.action)).toContain('subject.created');
  });

  it('still refuses what no spelling makes valid', async () => {
    const res = await office.json('POST', '/v1/subjects', { subjectId: 'pn id10', passport: PASSPORT });
    expect([res.status, res.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
  });
});

describe('migration 012 folds stored pension numbers', () => {
  it('refuses to fold two subjects into one, then upper-cases the rest and keeps them so', async () => {
    const env = await createTestEnvironment();
    const db = createPostgresDatabase(env.databaseUrl);
    const insert = (id: string, ref: string) => db.query(
      'INSERT INTO subjects (id, external_ref, created_at, updated_at) VALUES ($1, $2, now(), now())', [id, ref]);
    try {
      await migrateUp(db, migrations.filter((m) => m.id < 12));
      await insert('00000000-0000-4000-8000-000000000001', 'pn-1001');
      await insert('00000000-0000-4000-8000-000000000002', 'PN-1001');
      await insert('00000000-0000-4000-8000-000000000003', 'pn-2002');
      await expect(migrateUp(db)).rejects.toThrow(/1 pension number\(s\) are held by more than one subject/);
      expect((await db.query<{ r: string }>('SELECT external_ref AS r FROM subjects ORDER BY 1')).map((x) => x.r))
        .toEqual(['PN-1001', 'pn-1001', 'pn-2002']);

      await db.query(`DELETE FROM subjects WHERE external_ref = 'pn-1001'`);
      expect(await migrateUp(db, migrations.filter((m) => m.id <= 12))).toEqual(['12-canonical-subject-refs']);
      expect((await db.query<{ r: string }>('SELECT external_ref AS r FROM subjects ORDER BY 1')).map((x) => x.r))
        .toEqual(['PN-1001', 'PN-2002']);
      await expect(insert('00000000-0000-4000-8000-000000000004', 'pn-3003')).rejects.toThrow(/subjects_external_ref_canonical/);
    } finally {
      await db.close();
      await env.cleanup();
    }
  });
});
