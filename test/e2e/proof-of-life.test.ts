import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { describeIfDatasets, identityImages } from '../support/datasets.js';
import { makePassportPage } from '../support/passport-page.js';
import { cli, exitOf, productEnv, startProcess } from '../support/processes.js';
import { createTestEnvironment, type TestEnvironment } from '../support/services.js';
import { createConsentingSubject, PASSPORT, registerOffice } from '../support/stack.js';

// End to end over HTTP: separate API and worker processes on the real PostgreSQL and Redis, the real
// models, and real people from ../shared/datasets/identities. Passport pages are specimens from
// ../shared/datasets/documents with the person's photo placed over the printed portrait.
describeIfDatasets('proof of life, end to end (needs ../shared/datasets)', () => {
  let env: TestEnvironment;
  let api: ChildProcess;
  let worker: ChildProcess & { output: () => string };
  let client: ApiClient;
  const photo = (person: string, n: number) => identityImages(person)[n - 1]!;

  beforeAll(async () => {
    env = await createTestEnvironment();
    const penv = productEnv(env.config, { PORT: '0' });
    const key = cli(penv, 'keys', 'create', '--role', 'mobile-client');
    api = await startProcess('api', penv, 'API listening');
    const port = /"port":(\d+)/.exec((api as ChildProcess & { output: () => string }).output())![1];
    client = new ApiClient(`http://127.0.0.1:${port}`, key);
    registerOffice(client, cli(penv, 'keys', 'create', '--role', 'operator'));
    worker = await startProcess('worker', penv, 'face engine ready');
  });

  afterAll(async () => {
    api?.kill('SIGKILL');
    worker?.kill('SIGKILL');
    await env?.cleanup();
  });

  async function run(path: string, files: Record<string, Buffer>) {
    const res = await client.multipart(path, files);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return client.waitForSubmission(res.body.submissionId, 90_000);
  }

  it('enrols a pensioner from a selfie and a passport page that carries another photo of them', async () => {
    await createConsentingSubject(client, 'PN-7001');
    const page = await makePassportPage({ facePhoto: photo('deepface_id01', 2) });
    const result = await run('/v1/subjects/PN-7001/enrollments', { selfie: readFileSync(photo('deepface_id01', 1)), document: page });
    expect(result).toMatchObject({ status: 'completed', decision: 'verified', reasons: ['FACE_MATCH'] });
    expect(result.findings[1].face.box.width).toBeGreaterThan(50);
  });

  it('verifies a third photo of the same person', async () => {
    const result = await run('/v1/subjects/PN-7001/verifications', { selfie: readFileSync(photo('deepface_id01', 4)) });
    expect(result, JSON.stringify(result.reasons)).toMatchObject({ status: 'completed', decision: 'verified' });
    expect(result.liveness).toMatchObject({ quality: { pass: true }, liveness: { verdict: 'live' }, challenge: null, replay: { reasons: [] } });
    expect(result.match.comparedWith).toHaveLength(2);
  });

  it('does not verify a photo of another person', async () => {
    const result = await run('/v1/subjects/PN-7001/verifications', { selfie: readFileSync(photo('facerec_obama', 1)) });
    expect(result.status).toBe('completed');
    expect(result.decision).not.toBe('verified');
  });

  it('does not enrol someone whose passport page shows another person', async () => {
    await createConsentingSubject(client, 'PN-7002', { ...PASSPORT, number: 'B7654321' });
    const page = await makePassportPage({ facePhoto: photo('facerec_kit_harington', 1) });
    const result = await run('/v1/subjects/PN-7002/enrollments', { selfie: readFileSync(photo('deepface_id03', 1)), document: page });
    expect(result.status).toBe('completed');
    expect(result.decision).not.toBe('verified');
    const subject = await client.json('GET', '/v1/subjects/PN-7002');
    expect(subject.body.enrolled).toBe(false);
    // Nothing to verify against: the rejected enrolment kept no reference, and ended the consent the phone recorded
    // before it, since the face behind that consent was not confirmed (docs/SECURITY.md).
    const verify = await client.multipart('/v1/subjects/PN-7002/verifications', { selfie: readFileSync(photo('deepface_id03', 2)) });
    expect([verify.status, verify.body.error.code]).toEqual([409, 'CONSENT_REQUIRED']);
    expect((await client.json('GET', '/v1/subjects/PN-7002/consents')).body.consents[0]).toMatchObject({
      status: 'withdrawn', confirmation: { method: 'selfie', decision: 'rejected' },
    });
  });

  it('finishes the job in hand on SIGTERM, then exits cleanly', async () => {
    // Another new photo: the one verified above would now be a replay.
    const res = await client.multipart('/v1/subjects/PN-7001/verifications', { selfie: readFileSync(photo('deepface_id01', 5)) });
    const id = res.body.submissionId as string;
    for (let i = 0; i < 2000; i += 1) {
      if ((await client.json('GET', `/v1/submissions/${id}`)).body.status !== 'queued') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    worker.kill('SIGTERM');
    expect(await exitOf(worker)).toBe(0);
    const result = await client.json('GET', `/v1/submissions/${id}`);
    expect(result.body).toMatchObject({ status: 'completed', decision: 'verified', attempts: 1 });
  });
});
