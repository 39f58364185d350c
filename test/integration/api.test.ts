import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentBody, createConsentingSubject, linkPhone, PASSPORT, startStack, type Stack } from '../support/stack.js';

// The API against the real PostgreSQL and Redis, without a worker: what a client sees at the door.
let stack: Stack;
const selfie = readFileSync('samples/faces/sample1-face1.jpg');

async function countRows(table: string): Promise<number> {
  const rows = await stack.service.platform.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

function blobFiles(): string[] {
  const root = path.join(stack.env.config.dataDir, 'blobs');
  try {
    return readdirSync(root, { recursive: true }).map(String).filter((f) => !/^[0-9a-f]{2}(\/[0-9a-f]{2})?$/.test(f));
  } catch {
    return [];
  }
}

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('subjects', () => {
  it('creates a subject (201) and refuses the same pension number twice (409)', async () => {
    const created = await stack.office.json('POST', '/v1/subjects', { subjectId: 'PN-100', passport: PASSPORT });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ subjectId: 'PN-100', status: 'active', enrolled: false });
    const again = await stack.office.json('POST', '/v1/subjects', { subjectId: 'PN-100', passport: PASSPORT });
    expect([again.status, again.body.error.code]).toEqual([409, 'SUBJECT_EXISTS']);
    // Roster registration (the default): the app does not create pensioners; the office links the phone.
    const fromApp = await stack.client.json('POST', '/v1/subjects', { subjectId: 'PN-199', passport: PASSPORT });
    expect([fromApp.status, fromApp.body.error.code]).toEqual([403, 'SELF_REGISTRATION_DISABLED']);
    await linkPhone(stack.client, 'PN-100');
    expect((await stack.client.json('POST', '/v1/subjects/PN-100/consents', consentBody())).status).toBe(201);
  });

  it('explains invalid fields with a stable code and the paths at fault', async () => {
    const res = await stack.client.json('POST', '/v1/subjects', { subjectId: 'PN-101', passport: { ...PASSPORT, dateOfBirth: '14.03.1955' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.details.issues[0].path).toBe('passport.dateOfBirth');
    expect(res.body.requestId).toBeTruthy();
  });

  it('answers malformed JSON with MALFORMED_JSON, not a crash', async () => {
    const res = await fetch(`${stack.client.baseUrl}/v1/subjects`, {
      method: 'POST', body: '{"subjectId":', headers: { authorization: `Bearer ${stack.keys['mobile-client']}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MALFORMED_JSON');
  });

  it('keeps passport fields sealed in the database', async () => {
    const rows = await stack.service.platform.db.query<{ passport_enc: Buffer }>(`SELECT passport_enc FROM subjects WHERE external_ref = 'PN-100'`);
    expect(rows[0]!.passport_enc.includes(Buffer.from('Rahimov'))).toBe(false);
  });
});

describe('authorisation', () => {
  it('refuses requests without a key or with a wrong key (401)', async () => {
    const anon = stack.client.withKey('');
    expect((await anon.json('GET', '/v1/subjects/PN-100')).status).toBe(401);
    const forged = stack.client.withKey('znd_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await forged.json('GET', '/v1/subjects/PN-100')).body.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a role the route does not accept (403)', async () => {
    const auditor = stack.client.withKey(stack.keys.auditor);
    const res = await auditor.json('POST', '/v1/subjects', { subjectId: 'PN-102', passport: PASSPORT });
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('stops accepting a revoked key', async () => {
    const { key, keyId } = await stack.service.access.apiKeys.create('operator', 'to revoke');
    const client = stack.client.withKey(key);
    expect((await client.json('GET', '/v1/subjects/PN-100')).status).toBe(200);
    await stack.service.access.apiKeys.revoke(keyId, new Date());
    expect((await client.json('GET', '/v1/subjects/PN-100')).status).toBe(401);
  });
});

describe('uploads', () => {
  it('refuses a verification before enrolment (409 SUBJECT_NOT_ENROLLED)', async () => {
    const res = await stack.client.multipart('/v1/subjects/PN-100/verifications', { selfie });
    expect([res.status, res.body.error.code]).toEqual([409, 'SUBJECT_NOT_ENROLLED']);
  });

  it('gives each bad input its own code and stores nothing', async () => {
    const before = { submissions: await countRows('submissions'), items: await countRows('stored_items'), blobs: blobFiles().length };
    const doc = selfie;
    const cases: [Record<string, Buffer>, number, string][] = [
      [{ selfie: Buffer.from('GIF89a not allowed'), document: doc }, 415, 'UNSUPPORTED_IMAGE_TYPE'],
      [{ selfie: selfie.subarray(0, 700), document: doc }, 422, 'IMAGE_UNDECODABLE'],
      [{ selfie }, 400, 'FILE_REQUIRED'],
      [{ selfie, document: doc, extra: doc }, 400, 'UNEXPECTED_FILE_FIELD'],
    ];
    for (const [files, status, code] of cases) {
      const res = await stack.client.multipart('/v1/subjects/PN-100/enrollments', files);
      expect([res.status, res.body.error.code], code).toEqual([status, code]);
    }
    const json = await stack.client.json('POST', '/v1/subjects/PN-100/enrollments', { selfie: 'base64...' });
    expect([json.status, json.body.error.code]).toEqual([415, 'MULTIPART_REQUIRED']);
    const badPassport = await stack.client.multipart('/v1/subjects/PN-100/enrollments', { selfie, document: doc }, { passport: '{"number":' });
    expect(badPassport.body.error.code).toBe('MALFORMED_JSON');
    expect({ submissions: await countRows('submissions'), items: await countRows('stored_items'), blobs: blobFiles().length }).toEqual(before);
  });

  it('refuses a file over the size limit with 413 IMAGE_TOO_LARGE', async () => {
    const big = await sharp({ create: { width: 2600, height: 2600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .jpeg({ quality: 100 }).toBuffer();
    expect(big.length).toBeGreaterThan(stack.env.config.UPLOAD_MAX_BYTES / 10);
    const small = await startLimited(big.length - 1);
    try {
      const res = await small.multipart('/v1/subjects/PN-100/enrollments', { selfie: big, document: selfie });
      expect([res.status, res.body.error.code]).toEqual([413, 'IMAGE_TOO_LARGE']);
    } finally {
      await small.stop();
    }
  });

  it('accepts an enrolment (202 + Location) and honours Idempotency-Key: same request, same answer, one job', async () => {
    const headers = { 'idempotency-key': 'enrol-PN-100-attempt-1' };
    const first = await stack.client.multipart('/v1/subjects/PN-100/enrollments', { selfie, document: selfie }, {}, headers);
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/v1/submissions/${first.body.submissionId}`);
    const replay = await stack.client.multipart('/v1/subjects/PN-100/enrollments', { selfie, document: selfie }, {}, headers);
    expect(replay.status).toBe(202);
    expect(replay.body.submissionId).toBe(first.body.submissionId);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = await stack.client.multipart('/v1/subjects/PN-100/enrollments', { selfie, document: await sharp(selfie).flop().jpeg().toBuffer() }, {}, headers);
    expect([other.status, other.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    const jobs = await stack.service.submissions.queue.counts();
    expect((jobs.waiting ?? 0) + (jobs.active ?? 0)).toBe(1);
    const view = await stack.client.json('GET', first.body.location);
    expect(view.body).toMatchObject({ status: 'queued', decision: null, kind: 'enrollment', subjectId: 'PN-100' });
    expect(view.body.retention.map((r: { item: string }) => r.item).sort()).toEqual(['document_image', 'selfie_image']);
    expect(view.body.retention.every((r: { deleteAt: string }) => Date.parse(r.deleteAt) > Date.now())).toBe(true);
  });

  it('stores the images encrypted: no JPEG on disk', async () => {
    const root = path.join(stack.env.config.dataDir, 'blobs');
    const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(path.join(f.parentPath, f.name));
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    }
  });

  it('puts only ids in Redis job payloads', async () => {
    const keys = await stack.service.platform.redis.keys(`${stack.env.config.QUEUE_PREFIX}:*`);
    for (const key of keys) {
      if ((await stack.service.platform.redis.type(key)) !== 'hash') continue;
      const data = await stack.service.platform.redis.hget(key, 'data');
      if (data) expect(['submissionId', 'itemId', '']).toContain(Object.keys(JSON.parse(data)).join(','));
    }
  });
});

describe('operations', () => {
  it('serves /healthz, /readyz and an OpenAPI document that declares roles', async () => {
    expect((await stack.client.json('GET', '/healthz')).status).toBe(200);
    const ready = await stack.client.json('GET', '/readyz');
    expect(ready.body.checks.map((c: { name: string; ok: boolean }) => `${c.name}:${c.ok}`)).toEqual(['database:true', 'redis:true', 'blobs:true']);
    const doc = await stack.client.json('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.0.3');
    expect(doc.body.paths['/v1/subjects/{subjectId}/enrollments'].post['x-roles']).toContain('mobile-client');
  });

  it('answers unknown routes with ROUTE_NOT_FOUND', async () => {
    const res = await stack.client.json('GET', '/v1/nothing');
    expect([res.status, res.body.error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });
});

/** A second API over the same services with a smaller upload limit. */
async function startLimited(maxBytes: number) {
  const limited = await startStack({ env: { UPLOAD_MAX_BYTES: String(maxBytes) } });
  await createConsentingSubject(limited.client, 'PN-100');
  return { multipart: limited.client.multipart.bind(limited.client), stop: () => limited.stop() };
}
