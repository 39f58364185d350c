import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// A proof of life before there is a reference to compare with: the 409 says which of the three cases it is, so the
// app can tell "wait", "an officer must approve the enrolment" and "enrol again" apart.
let stack: Stack;
let office: Stack['client'];
const selfie = readFileSync('samples/faces/sample1-face1.jpg');

beforeAll(async () => {
  stack = await startStack();
  office = stack.client.withKey(stack.keys.operator);
  await createConsentingSubject(office, 'PN-409');
});
afterAll(async () => {
  await stack?.stop();
});

const verify = () => office.multipart('/v1/subjects/PN-409/verifications', { selfie });
const setEnrolment = (id: string, sql: string) => stack.service.platform.db.query(`UPDATE submissions SET ${sql} WHERE id = $1`, [id]);

describe('a verification before the enrolment is usable', () => {
  it('without any enrolment: 409 SUBJECT_NOT_ENROLLED, enrol them first', async () => {
    const res = await verify();
    expect([res.status, res.body.error.code]).toEqual([409, 'SUBJECT_NOT_ENROLLED']);
    expect(res.body.error.message).toContain('enrol them first');
  });

  it('while the enrolment is queued: 409 ENROLLMENT_IN_PROGRESS naming it', async () => {
    const enrol = await office.multipart('/v1/subjects/PN-409/enrollments', { selfie, document: selfie });
    expect(enrol.status).toBe(202);
    const res = await verify();
    expect([res.status, res.body.error.code, res.body.error.details.submissionId]).toEqual([409, 'ENROLLMENT_IN_PROGRESS', enrol.body.submissionId]);
  });

  it('when the enrolment ended in needs_review: 409 ENROLLMENT_AWAITING_REVIEW, not "enrol them first"', async () => {
    const [latest] = await stack.service.platform.db.query<{ id: string }>(`SELECT id FROM submissions WHERE kind = 'enrollment' ORDER BY created_at DESC LIMIT 1`);
    await setEnrolment(latest!.id, `status = 'completed', decision = 'needs_review', machine_decision = 'needs_review', completed_at = now()`);
    const res = await verify();
    expect([res.status, res.body.error.code, res.body.error.details.submissionId]).toEqual([409, 'ENROLLMENT_AWAITING_REVIEW', latest!.id]);
    expect(res.body.error.message).toMatch(/awaiting review.*reviewer must approve/);
    expect(res.body.error.message).not.toContain('enrol them first');

    await setEnrolment(latest!.id, `decision = 'rejected', review = '{"outcome":"reject","reasonCode":"FACE_MISMATCH","at":"2026-12-01T00:00:00Z"}'`);
    const rejected = await verify();
    expect([rejected.status, rejected.body.error.code]).toEqual([409, 'SUBJECT_NOT_ENROLLED']);
    expect(rejected.body.error.message).toContain('enrol them again');
  });
});
