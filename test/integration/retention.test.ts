import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/storage/crypto/key-ring.js';
import { loadMasterKey } from '../../src/storage/crypto/master-key.js';
import { rotateMasterKey } from '../../src/storage/crypto/master-key-rotation.js';
import { createRepositories } from '../../src/storage/repositories/index.js';
import { MutableClock } from '../support/mutable-clock.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Retention timers that really delete: delayed jobs, the database sweep, legal holds, crypto-shredding.
const selfie = readFileSync('samples/faces/sample1-face1.jpg');
let page: Buffer;

const blobPath = (stack: Stack, key: string) => {
  const root = path.join(stack.env.config.dataDir, 'blobs');
  return path.join(root, key.slice(0, 2), key.slice(2, 4), key);
};

async function images(stack: Stack, submissionId: string) {
  return stack.service.platform.db.query<{ id: string; blob_key: string; delete_at: Date; deleted_at: Date | null }>(
    `SELECT id, blob_key, delete_at, deleted_at FROM stored_items WHERE submission_id = $1 AND item_class LIKE '%_image' ORDER BY role`, [submissionId]);
}

beforeAll(async () => {
  page = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
});

describe('with an injectable clock (API and purge, no worker)', () => {
  let stack: Stack;
  const start = new Date();
  const clock = new MutableClock(start);
  const signedNow = () => ({ signedAt: new Date(clock.now().getTime() - 60_000).toISOString() });
  const submissions: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ clock });
    for (const ref of ['PN-R1', 'PN-R2', 'PN-R3']) {
      await createConsentingSubject(stack.client, ref, undefined, signedNow());
      const res = await stack.client.multipart(`/v1/subjects/${ref}/enrollments`, { selfie, document: page });
      submissions.push(res.body.submissionId);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('deletes an image right after its delete_at and not before', async () => {
    const [item] = await images(stack, submissions[0]!);
    expect(item!.delete_at.getTime()).toBe(start.getTime() + 30 * 86_400_000);
    clock.set(new Date(item!.delete_at.getTime() - 1));
    expect(await stack.service.retention.purge.purgeItem(item!.id)).toBe('not-due');
    expect(existsSync(blobPath(stack, item!.blob_key))).toBe(true);
    clock.set(new Date(item!.delete_at.getTime() + 1));
    expect(await stack.service.retention.purge.purgeItem(item!.id)).toBe('purged');
    expect(existsSync(blobPath(stack, item!.blob_key))).toBe(false);
    const [after] = (await images(stack, submissions[0]!)).filter((i) => i.id === item!.id);
    expect(after!.deleted_at).not.toBeNull();
    const [entry] = await stack.service.platform.db.query<{ details: Record<string, string> }>(
      `SELECT details FROM audit_log WHERE action = 'retention.purged' AND target_id = $1`, [item!.id]);
    expect(entry!.details).toMatchObject({ policy: 'images-30d-after-decision' });
    expect(Object.keys(entry!.details).sort()).toEqual(['deleteAt', 'itemClass', 'policy']);
  });

  it('is harmless when a path runs twice', async () => {
    const [item] = await images(stack, submissions[0]!);
    expect(await stack.service.retention.purge.purgeItem(item!.id)).toBe('already-deleted');
  });

  it('keeps everything of a subject under legal hold, visibly, until the hold is released', async () => {
    const operator = stack.client.withKey(stack.keys.operator);
    const hold = await operator.json('POST', '/v1/subjects/PN-R3/legal-holds', { reason: 'Court case 2-77/2026' });
    expect(hold.status).toBe(201);
    const view = await stack.client.json('GET', `/v1/submissions/${submissions[2]}`);
    expect(view.body.retention.every((r: { onHold: boolean }) => r.onHold)).toBe(true);
    expect((await stack.client.json('GET', '/v1/subjects/PN-R3')).body.onHold).toBe(true);

    clock.advanceDays(40);
    await stack.service.retention.purge.sweep();
    expect((await images(stack, submissions[2]!)).every((i) => i.deleted_at === null)).toBe(true);

    await operator.json('POST', `/v1/subjects/PN-R3/legal-holds/${hold.body.id}/release`, {});
    await stack.service.retention.purge.sweep();
    expect((await images(stack, submissions[2]!)).every((i) => i.deleted_at !== null)).toBe(true);
  });

  it('purges everything overdue with the sweep alone after Redis lost every job', async () => {
    const keys = await stack.service.platform.redis.keys(`${stack.env.config.QUEUE_PREFIX}:*`);
    if (keys.length) await stack.service.platform.redis.del(...keys);
    const result = await stack.service.retention.purge.sweep();
    expect(result.overdue).toBe(0);
    for (const id of submissions) expect((await images(stack, id)).every((i) => i.deleted_at !== null)).toBe(true);
    expect((await stack.service.retention.purge.sweep()).purged).toBe(0);
  });

  it('applies a shorter policy to data already held, and extends a promised date only with a recorded reason', async () => {
    await createConsentingSubject(stack.client, 'PN-R4', undefined, signedNow());
    const res = await stack.client.multipart('/v1/subjects/PN-R4/enrollments', { selfie, document: page });
    const before = await images(stack, res.body.submissionId);
    const shorter = await stack.service.retention.reconciler.reconcile({ ...stack.service.platform.retentionSettings, imagesDays: 7 });
    expect(shorter.shortened).toBeGreaterThanOrEqual(2);
    const shortened = await images(stack, res.body.submissionId);
    expect(shortened[0]!.delete_at.getTime()).toBe(before[0]!.delete_at.getTime() - 23 * 86_400_000);

    const silent = await stack.service.retention.reconciler.reconcile({ ...stack.service.platform.retentionSettings, imagesDays: 60 });
    expect(silent.extended).toBe(0);
    expect(silent.keptPromise).toBeGreaterThanOrEqual(2);
    expect((await images(stack, res.body.submissionId))[0]!.delete_at).toEqual(shortened[0]!.delete_at);

    const explained = await stack.service.retention.reconciler.reconcile({ ...stack.service.platform.retentionSettings, imagesDays: 60 }, 'Court order 3-14/2026 to keep evidence');
    expect(explained.extended).toBeGreaterThanOrEqual(2);
    const changes = await stack.service.platform.db.query<{ reason: string }>('SELECT reason FROM retention_changes');
    expect(changes[0]!.reason).toBe('Court order 3-14/2026 to keep evidence');
  });
});

describe('with the real clock and the real workers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('purges images and templates within seconds of a consent withdrawal', async () => {
    const consent = await createConsentingSubject(stack.client, 'PN-W1');
    const res = await stack.client.multipart('/v1/subjects/PN-W1/enrollments', { selfie, document: page });
    expect((await stack.client.waitForSubmission(res.body.submissionId)).decision).toBe('verified');
    const started = Date.now();
    await stack.office.json('POST', `/v1/subjects/PN-W1/consents/${consent.id}/withdraw`, { identityCheck: 'passport-seen' });
    let live: unknown[] = [];
    for (;;) {
      live = await stack.service.platform.db.query(
        `SELECT 1 FROM stored_items i JOIN subjects s ON s.id = i.subject_id WHERE s.external_ref = 'PN-W1' AND i.item_class <> 'result' AND i.deleted_at IS NULL`);
      if (!live.length || Date.now() - started > 10_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const [t] = await stack.service.platform.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reference_templates t JOIN subjects s ON s.id = t.subject_id WHERE s.external_ref = 'PN-W1' AND t.embedding_enc IS NOT NULL`);
    expect(t!.n).toBe(0);
    for (const i of await images(stack, res.body.submissionId)) expect(existsSync(blobPath(stack, i.blob_key))).toBe(false);
    // The decision stays, without biometrics.
    expect((await stack.client.json('GET', `/v1/submissions/${res.body.submissionId}`)).body.decision).toBe('verified');
  });

  it('re-wraps data keys on master-key rotation without touching a blob', async () => {
    await createConsentingSubject(stack.client, 'PN-K1');
    const res = await stack.client.multipart('/v1/subjects/PN-K1/enrollments', { selfie, document: page });
    const [item] = await images(stack, res.body.submissionId);
    const file = blobPath(stack, item!.blob_key);
    const before = readFileSync(file);
    const [{ subject_id: subjectId }] = await stack.service.platform.db.query<{ subject_id: string }>('SELECT subject_id FROM stored_items WHERE id = $1', [item!.id]) as [{ subject_id: string }];
    const oldMaster = loadMasterKey(stack.env.config);
    const newMaster = randomBytes(32);
    const rotated = await rotateMasterKey(stack.service.platform.db, oldMaster, newMaster);
    expect(rotated.subjects).toBeGreaterThanOrEqual(1);
    expect(readFileSync(file).equals(before)).toBe(true);
    const repos = createRepositories(stack.service.platform.db);
    const opened = await new KeyRing(newMaster, repos.subjectKeys, repos.systemKeys).openFor(subjectId, before, `image:${item!.blob_key}`);
    expect(opened.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    await expect(new KeyRing(oldMaster, repos.subjectKeys, repos.systemKeys).openFor(subjectId, before, `image:${item!.blob_key}`)).rejects.toThrow();
    // Put the old master back so the rest of the stack keeps working.
    await rotateMasterKey(stack.service.platform.db, newMaster, oldMaster);
    expect(readdirSync(path.dirname(file))).toContain(item!.blob_key);
  });
});
