import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { datasetsDir, describeIfDatasets } from '../support/datasets.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// The active challenge end to end: the app asks for a challenge, films the actions, and sends the frames with the
// nonce and a selfie; the worker checks nonce, frames, actions, person and replay, and the answer says what it found.
// Frames are real photos of one person (LFW) whose head turns are known: 0002 looks one way, 0003 the other.
let stack: Stack;
const lfw = (person: string, n: number) => readFileSync(path.join(datasetsDir(), 'lfw-dev', 'images', person, `${person}_${String(n).padStart(4, '0')}.jpg`));
const jiang = (n: number) => lfw('Jiang_Zemin', n);
const GENUINE = [1, 2, 13, 3, 9];
let genuineId: string;

// One passport page per subject: a page already enrolled for another subject is flagged as reuse.
const PAGE_PHOTO: Record<string, number> = { 'PN-LW1': 10, 'PN-LW2': 17, 'PN-LW3': 11, 'PN-LW4': 9 };

async function enrol(ref: string) {
  await createConsentingSubject(stack.client, ref);
  const res = await stack.client.multipart(`/v1/subjects/${ref}/enrollments`, {
    selfie: jiang(15), document: await makeSyntheticPassportPage(jiang(PAGE_PHOTO[ref]!)),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const result = await stack.client.waitForSubmission(res.body.submissionId);
  expect(result.decision, JSON.stringify(result.reasons)).toBe('verified');
  return result;
}

/** A challenge whose actions are set to what the photos show (the server draws them at random). */
async function challenge(ref: string, actions = ['turn_left', 'turn_right']) {
  const res = await stack.client.json('POST', `/v1/subjects/${ref}/liveness-challenges`);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await stack.service.platform.db.query('UPDATE liveness_challenges SET actions = $2 WHERE subject_id = (SELECT id FROM subjects WHERE external_ref = $1) AND used_at IS NULL',
    [ref, JSON.stringify(actions)]);
  return res.body.nonce as string;
}

async function verify(ref: string, selfie: Buffer, frames: Buffer[], nonce?: string) {
  const res = await stack.client.multipart(`/v1/subjects/${ref}/verifications`, { selfie, frames }, nonce ? { nonce } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return stack.client.waitForSubmission(res.body.submissionId);
}

beforeAll(async () => {
  // The subject's lockout is under test here; the per-phone one (mobile-attacks.test.ts) would stop the phone first.
  stack = await startStack({ worker: true, env: { LIVENESS_MAX_FAILURES: '3', DEVICE_MAX_FAILURES: '100' } });
});
afterAll(async () => {
  await stack?.stop();
});

describeIfDatasets('a verification with a liveness challenge, through the API and the worker', () => {
  it('enrolment runs the quality gate and the passive check too, and reports them', async () => {
    const enrolment = await enrol('PN-LW1');
    expect(enrolment.liveness.quality.components.interEyePx).toBeGreaterThan(0);
    expect(enrolment.liveness.liveness.verdict).toMatch(/live|uncertain|attack/);
    expect(enrolment.liveness.challenge).toBeNull();
    expect(enrolment.decision, JSON.stringify(enrolment.reasons)).toBe('verified');
  });

  it('a genuine response passes: actions in order, one person, same as the selfie; frames kept for hours, not days', async () => {
    const nonce = await challenge('PN-LW1');
    const result = await verify('PN-LW1', jiang(18), GENUINE.map(jiang), nonce);
    genuineId = result.id;
    expect(result.liveness.challenge).toMatchObject({ pass: true, reasons: [], actions: ['turn_left', 'turn_right'] });
    expect(result.liveness.challenge.frames).toHaveLength(5);
    expect(result.decision, JSON.stringify(result.reasons)).toBe('verified');
    const frames = result.retention.filter((r: { item: string }) => r.item === 'liveness_frame');
    expect(frames.map((f: { role: string }) => f.role).sort()).toEqual(['frame-00', 'frame-01', 'frame-02', 'frame-03', 'frame-04']);
    const hours = (Date.parse(frames[0].deleteAt) - Date.parse(result.completedAt)) / 3_600_000;
    expect(hours).toBeCloseTo(24, 5);
    // Codes and measures only: nothing a face could be rebuilt from.
    expect(JSON.stringify(result.liveness)).not.toMatch(/embedding|landmarks|lbp/);
  });

  it('the same nonce and frames again: reused nonce and replayed frames go to an officer', async () => {
    const first = await challenge('PN-LW1');
    await verify('PN-LW1', jiang(17), [4, 11, 1].map(jiang), first);
    const again = await verify('PN-LW1', jiang(17), [4, 11, 1].map(jiang), first);
    expect(again.decision).toBe('needs_review');
    expect(again.reasons).toEqual(expect.arrayContaining(['CHALLENGE_NONCE_REUSED', 'REPLAY_FRAME_SET_REUSED']));
  });

  it('actions in the wrong order are rejected with a code the app can act on', async () => {
    await enrol('PN-LW2');
    const nonce = await challenge('PN-LW2');
    const result = await verify('PN-LW2', jiang(18), [1, 3, 13, 2, 9].map(jiang), nonce);
    expect(result.decision).toBe('rejected');
    expect(result.reasons[0]).toBe('CHALLENGE_ACTION_ORDER');
  });

  it('another person in one frame goes to an officer', async () => {
    await enrol('PN-LW3');
    const nonce = await challenge('PN-LW3');
    const frames = GENUINE.map(jiang);
    frames[2] = lfw('Aaron_Sorkin', 1);
    const result = await verify('PN-LW3', jiang(18), frames, nonce);
    expect(result.decision).toBe('needs_review');
    expect(result.reasons).toContain('CHALLENGE_PERSON_CHANGED');
  });

  it('refuses malformed responses at once, storing nothing: frames without nonce, too few frames', async () => {
    const before = await stack.service.platform.db.query<{ n: string }>('SELECT count(*) AS n FROM submissions');
    const noNonce = await stack.client.multipart('/v1/subjects/PN-LW1/verifications', { selfie: jiang(18), frames: GENUINE.map(jiang) });
    expect(noNonce).toMatchObject({ status: 400, body: { error: { code: 'CHALLENGE_NONCE_REQUIRED' } } });
    const nonce = await challenge('PN-LW1');
    const tooFew = await stack.client.multipart('/v1/subjects/PN-LW1/verifications', { selfie: jiang(18), frames: [jiang(1), jiang(2)] }, { nonce });
    expect(tooFew).toMatchObject({ status: 400, body: { error: { code: 'CHALLENGE_FRAME_COUNT' } } });
    const tooMany = await stack.client.multipart('/v1/subjects/PN-LW1/verifications', { selfie: jiang(18), frames: Array(13).fill(jiang(1)) }, { nonce });
    expect(tooMany.status).toBe(400);
    const after = await stack.service.platform.db.query<{ n: string }>('SELECT count(*) AS n FROM submissions');
    expect(after[0]!.n).toBe(before[0]!.n);
    // The nonce was not spent by the refused uploads.
    const unused = await stack.service.platform.db.query('SELECT 1 FROM liveness_challenges WHERE used_at IS NULL');
    expect(unused.length).toBeGreaterThan(0);
  });

  it('after N failed attempts the subject is locked out: the answer says until when and the next goes to an officer', async () => {
    await enrol('PN-LW4');
    const strangers = ['Aaron_Sorkin', 'Abbas_Kiarostami', 'Aaron_Patterson'];
    let last;
    for (const person of strangers) last = await verify('PN-LW4', lfw(person, 1), []);
    expect(last.decision).not.toBe('verified');
    expect(last.liveness.lockout?.lockedUntil).toBeTruthy();
    const refused = await stack.client.json('POST', '/v1/subjects/PN-LW4/liveness-challenges');
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'LIVENESS_LOCKED_OUT' } } });
    const next = await verify('PN-LW4', jiang(18), []);
    expect(next.decision).toBe('needs_review');
    expect(next.reasons[0]).toBe('ATTEMPTS_LOCKED_OUT');
  });

  it('a submission\'s replay fingerprints are purged with its result', async () => {
    const fingerprints = () => stack.service.platform.db.query('SELECT 1 FROM image_fingerprints WHERE submission_id = $1', [genuineId]);
    expect(await fingerprints()).toHaveLength(6);
    const [result] = await stack.service.platform.db.query<{ id: string }>(
      `UPDATE stored_items SET delete_at = now() - interval '1 second' WHERE submission_id = $1 AND item_class = 'result' RETURNING id`, [genuineId]);
    expect(await stack.service.retention.purge.purgeItem(result!.id)).toBe('purged');
    expect(await fingerprints()).toHaveLength(0);
  });

  it('erasure removes the fingerprints, challenges and attempts with everything else', async () => {
    const subject = await stack.service.subjects.subjects.get('PN-LW4');
    await stack.service.rights.erasure.erase(subject, 'subject-request', 'test', { type: 'api-key', id: 'test', role: 'admin' });
    for (const table of ['image_fingerprints', 'liveness_challenges', 'submission_liveness', 'verification_failures', 'subject_lockouts']) {
      const rows = await stack.service.platform.db.query(`SELECT 1 FROM ${table} WHERE subject_id = $1`, [subject.id]);
      expect(rows, table).toHaveLength(0);
    }
  });
});
