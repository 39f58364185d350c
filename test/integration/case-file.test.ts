import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';
import { createRepositories } from '../../src/storage/repositories/index.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// The case page's reads on the real PostgreSQL: who holds a claim, which enrolments made the references a proof of life
// was compared with (the subject's own only), and which images belong to a case (the dashboard's image route asks).
let stack: Stack;
const ids = { enrolment: newId(), check: newId(), other: newId(), reference: newId(), othersReference: newId() };
let reviewerId: string;

beforeAll(async () => {
  stack = await startStack();
  const { db } = stack.service.platform;
  const repos = createRepositories(db);
  await createConsentingSubject(stack.office, 'PN-CASE-1');
  await createConsentingSubject(stack.office, 'PN-CASE-2');
  const subject = (ref: string) => stack.service.subjects.subjects.get(ref).then((s) => s.id);
  const [mine, theirs] = [await subject('PN-CASE-1'), await subject('PN-CASE-2')];
  const at = new Date();
  await repos.submissions.insert({ id: ids.enrolment, subjectId: mine, kind: 'enrollment', createdAt: at });
  await repos.submissions.insert({ id: ids.check, subjectId: mine, kind: 'verification', createdAt: at });
  await repos.submissions.insert({ id: ids.other, subjectId: theirs, kind: 'enrollment', createdAt: at });
  const template = (id: string, subjectId: string, submissionId: string) => repos.templates.insert({
    id, subjectId, submissionId, source: 'selfie', model: 'test-model', modelVersion: '1', status: 'active',
    sealedEmbedding: Buffer.alloc(16), faceScore: 0.99, createdAt: at,
  });
  await template(ids.reference, mine, ids.enrolment);
  await template(ids.othersReference, theirs, ids.other);
  // Only what the case file reads of a machine's answer: the references it compared the selfie with.
  const result = { findings: [], timings: {}, match: { comparedWith: [{ templateId: ids.reference }, { templateId: ids.othersReference }] } };
  await db.query(`UPDATE submissions SET status = 'completed', decision = 'needs_review', reasons = '["MATCH_UNCERTAIN"]', completed_at = $2,
    result = $3 WHERE id = $1`, [ids.check, at, JSON.stringify(result)]);
  reviewerId = (await stack.service.access.staffAuth.createUser('case-reviewer', 'Case Reviewer', 'reviewer', 'correct horse battery staple')).id;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the case file', () => {
  it('names who holds the claim and since when', async () => {
    const reviews = stack.service.platform.uow.ports.reviews;
    expect(await reviews.claimOf(ids.check)).toEqual({ claimedBy: null, claimedAt: null });
    await stack.service.review.review.claim(ids.check, { type: 'staff', id: reviewerId, role: 'reviewer' });
    expect(await reviews.claimOf(ids.check)).toMatchObject({ claimedBy: reviewerId, claimedAt: expect.any(Date) });
    expect(await reviews.claimOf(newId())).toBeNull();
  });

  it("finds the enrolments behind the compared references, never another subject's", async () => {
    const subjectId = (await stack.service.subjects.subjects.get('PN-CASE-1')).id;
    const reviews = stack.service.platform.uow.ports.reviews;
    expect(await reviews.enrolmentsOfReferences(subjectId, [ids.reference, ids.othersReference])).toEqual([ids.enrolment]);
    expect(await reviews.enrolmentsOfReferences(subjectId, [])).toEqual([]);
  });

  it("shows the claim and the subject's own enrolment beside the case", async () => {
    const file = await stack.service.review.cases.get(ids.check);
    expect(file).toMatchObject({ claimedBy: reviewerId, subject: { ref: 'PN-CASE-1' } });
    expect(file.images.map((i) => [i.label, i.submissionId])).toEqual([
      ['new-selfie', ids.check], ['reference-selfie', ids.enrolment], ['reference-document', ids.enrolment],
    ]);
    expect(file.history.map((s) => s.id).sort()).toEqual([ids.check, ids.enrolment].sort());
  });

  it("lets a reviewer open the images of the case's subject only", async () => {
    const cases = stack.service.review.cases;
    expect(await cases.imageBelongsToCase(ids.check, ids.enrolment)).toBe(true);
    expect(await cases.imageBelongsToCase(ids.check, ids.check)).toBe(true);
    expect(await cases.imageBelongsToCase(ids.check, ids.other)).toBe(false);
    expect(await cases.imageBelongsToCase(ids.check, newId())).toBe(false);
  });
});
