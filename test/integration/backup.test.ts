import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/storage/crypto/key-ring.js';
import { loadMasterKey } from '../../src/storage/crypto/master-key.js';
import { createRepositories } from '../../src/storage/repositories/index.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Backup and restore must not resurrect what was erased since: the erasure ledger, kept apart from the
// backup, is replayed after a restore.
let stack: Stack;
const backupDir = mkdtempSync(path.join(tmpdir(), 'zinda-backup-'));

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(backupDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
  env: { ...process.env, DATABASE_URL: stack.env.databaseUrl, DATA_DIR: stack.env.config.dataDir }, encoding: 'utf8',
});

describe('backup, erasure, restore', () => {
  it('keeps a subject erased after restoring a backup taken before the erasure', async () => {
    await createConsentingSubject(stack.client, 'PN-BK1');
    const res = await stack.client.multipart('/v1/subjects/PN-BK1/enrollments', {
      selfie: readFileSync('samples/faces/sample1-face1.jpg'), document: await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg'),
    });
    expect(res.status).toBe(202);
    const [item] = await stack.service.platform.db.query<{ subject_id: string; blob_key: string }>(
      `SELECT subject_id, blob_key FROM stored_items WHERE submission_id = $1 AND role = 'selfie'`, [res.body.submissionId]);

    const made = cli('backup', 'create', '--out', backupDir);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('kept apart on purpose');

    const erased = await stack.client.withKey(stack.keys.operator).json('POST', '/v1/subjects/PN-BK1/erasure', { legalReason: 'relationship-ended', reference: 'closure 77' });
    expect(erased.status).toBe(200);

    const restored = cli('backup', 'restore', '--from', backupDir);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('1 subject(s) erased again');

    const repos = createRepositories(stack.service.platform.db);
    const [subject] = await stack.service.platform.db.query<{ status: string; passport_enc: Buffer | null }>(`SELECT status, passport_enc FROM subjects WHERE external_ref = 'PN-BK1'`);
    expect(subject).toEqual({ status: 'erased', passport_enc: null });
    const sealedCopy = readFileSync(path.join(backupDir, 'blobs', item!.blob_key.slice(0, 2), item!.blob_key.slice(2, 4), item!.blob_key));
    const keyRing = new KeyRing(loadMasterKey(stack.env.config), repos.subjectKeys, repos.systemKeys);
    await expect(keyRing.openFor(item!.subject_id, sealedCopy, `image:${item!.blob_key}`)).rejects.toMatchObject({ code: 'SUBJECT_DATA_DESTROYED' });
    const view = await stack.client.withKey(stack.keys.reviewer).json('GET', `/v1/submissions/${res.body.submissionId}/images/selfie`);
    expect(view.status).toBe(410);
  });
});
