import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { consentBody, linkPhone, PASSPORT, startStack, type Stack } from '../support/stack.js';
import type { ApiClient } from '../support/api-client.js';

// The four attacks of issue #17, replayed with a second mobile-client key created like any other (docs/SECURITY.md),
// and the way a genuine phone gets its credential: the first enrolment, with the pensioner's document.
let stack: Stack;
let attacker: ApiClient;
let pensionerPhone: ApiClient;
const photo = 'samples/faces/sample3-face2.jpg';

beforeAll(async () => {
  stack = await startStack({ worker: true });
  attacker = stack.client.withKey((await stack.service.access.apiKeys.create('mobile-client', 'a second app key')).key);
  pensionerPhone = stack.client.withKey(stack.keys['mobile-client']);
  // The roster: the office imports the pensioner; nobody's phone is linked yet.
  expect((await stack.office.json('POST', '/v1/subjects', { subjectId: 'PN-VICTIM', passport: PASSPORT })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const subjectRow = async () => (await stack.service.platform.db.query<{ id: string }>(`SELECT id FROM subjects WHERE external_ref = 'PN-VICTIM'`))[0]!.id;

describe('the first enrolment gives the phone its credential', () => {
  it('the app key needs the pensioner\'s document number; the credential works only once the enrolment is verified', async () => {
    const noNumber = await pensionerPhone.json('POST', '/v1/subjects/PN-VICTIM/consents', consentBody());
    expect([noNumber.status, noNumber.body.error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
    const wrongNumber = await pensionerPhone.json('POST', '/v1/subjects/PN-VICTIM/consents', consentBody({ documentNumber: 'B7654321' }));
    expect(wrongNumber.status).toBe(404);
    const consent = await pensionerPhone.json('POST', '/v1/subjects/PN-VICTIM/consents', consentBody({ documentNumber: PASSPORT.number }));
    expect(consent.status).toBe(201);
    expect(consent.body.recordedBy).toBe('app');
    // A second "first consent" is no longer a first contact.
    expect((await pensionerPhone.json('POST', '/v1/subjects/PN-VICTIM/consents', consentBody({ documentNumber: PASSPORT.number }))).status).toBe(404);

    const page = await makeSyntheticPassportPage(photo);
    const enrol = await pensionerPhone.multipart('/v1/subjects/PN-VICTIM/enrollments', { selfie: readFileSync(photo), document: page },
      { passport: JSON.stringify(PASSPORT) });
    expect(enrol.status).toBe(202);
    const { token, status } = enrol.body.deviceCredential;
    expect(status).toBe('pending');
    // Another copy of the app cannot read this answer; the phone that sent it can.
    expect((await attacker.json('GET', `/v1/submissions/${enrol.body.submissionId}`)).status).toBe(404);
    const result = await pensionerPhone.waitForSubmission(enrol.body.submissionId, 120_000);
    expect(result).toMatchObject({ status: 'completed', decision: 'verified' });
    pensionerPhone.actAs('PN-VICTIM', token);
    const state = await pensionerPhone.json('GET', '/v1/subjects/PN-VICTIM');
    expect([state.status, state.body.enrolled]).toEqual([200, true]);
    // Enrolled: the app key's first contact is over.
    const again = await stack.client.multipart('/v1/subjects/PN-VICTIM/enrollments', { selfie: readFileSync(photo), document: page },
      { passport: JSON.stringify(PASSPORT) });
    expect(again.status).toBe(404);
  }, 180_000);
});

describe('the four attacks of issue #17, each refused', () => {
  it('1. reading any pensioner\'s access report: 404', async () => {
    const res = await attacker.json('GET', '/v1/subjects/PN-VICTIM/access-report');
    expect([res.status, res.body.error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
    expect(JSON.stringify(res.body)).not.toContain(PASSPORT.surname);
  });

  it('2. telling which pension numbers exist: the same answer for a pensioner and for nobody', async () => {
    for (const path of ['', '/access-report', '/consents', '/retention']) {
      const real = await attacker.json('GET', `/v1/subjects/PN-VICTIM${path}`);
      const none = await attacker.json('GET', `/v1/subjects/PN-NOBODY${path}`);
      expect(real.status).toBe(none.status);
      expect(real.body.error.code).toBe(none.body.error.code);
      expect(real.body.error.message.replace('PN-VICTIM', 'X')).toBe(none.body.error.message.replace('PN-NOBODY', 'X'));
    }
  });

  it('3. withdrawing any pensioner\'s consent with {}: 404, the consent stays, nothing is purged', async () => {
    const consents = await pensionerPhone.json('GET', '/v1/subjects/PN-VICTIM/consents');
    const consentId = consents.body.consents[0].id;
    const itemsBefore = await stack.service.platform.db.query(`SELECT id FROM stored_items WHERE subject_id = $1 AND deleted_at IS NULL`, [await subjectRow()]);
    const res = await attacker.json('POST', `/v1/subjects/PN-VICTIM/consents/${consentId}/withdraw`, {});
    expect([res.status, res.body.error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
    // Nor with a photo of the pensioner through the phone's selfie withdrawal: that needs the pensioner's own phone.
    const withPhoto = await attacker.multipart(`/v1/subjects/PN-VICTIM/consents/${consentId}/withdrawal-requests`, { selfie: readFileSync(photo) });
    expect([withPhoto.status, withPhoto.body.error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
    await new Promise((r) => setTimeout(r, 3_500));
    const after = await pensionerPhone.json('GET', '/v1/subjects/PN-VICTIM/consents');
    expect(after.body.consents[0]).toMatchObject({ id: consentId, status: 'active', withdrawnAt: null });
    const itemsAfter = await stack.service.platform.db.query(`SELECT id FROM stored_items WHERE subject_id = $1 AND deleted_at IS NULL`, [await subjectRow()]);
    expect(itemsAfter.length).toBe(itemsBefore.length);
    expect(itemsAfter.length).toBeGreaterThan(0);
  }, 20_000);

  it('4. locking a pensioner out with failed verifications: refused before any attempt counts; the pensioner\'s phone still works', async () => {
    const stranger = readFileSync('samples/faces/sample1-face1.jpg');
    for (let k = 0; k < 6; k++) {
      const res = await attacker.multipart('/v1/subjects/PN-VICTIM/verifications', { selfie: stranger });
      expect([res.status, res.body.error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
    }
    expect(await stack.service.liveness.attempts.activeLockout(await subjectRow())).toBeNull();
    const challenge = await pensionerPhone.json('POST', '/v1/subjects/PN-VICTIM/liveness-challenges');
    expect(challenge.status).toBe(201);
  });

  it('the audit trail names the phone, not the shared app key', async () => {
    const rows = await stack.service.platform.db.query<{ actor_type: string; actor_id: string }>(
      `SELECT actor_type, actor_id FROM audit_log WHERE action = 'liveness.challenge-issued' AND subject_id = $1`, [await subjectRow()]);
    expect(rows).toEqual([{ actor_type: 'device', actor_id: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
  });

  it('a stolen phone that keeps failing is stopped by itself, before it can lock its pensioner out', async () => {
    const thief = stack.client.withKey(stack.keys['mobile-client']);
    await linkPhone(thief, 'PN-VICTIM', 'stolen');
    const stranger = readFileSync('samples/faces/sample1-face1.jpg');
    for (let k = 0; k < 3; k++) {
      const sent = await thief.multipart('/v1/subjects/PN-VICTIM/verifications', { selfie: stranger });
      expect(sent.status).toBe(202);
      expect((await thief.waitForSubmission(sent.body.submissionId, 120_000)).decision).not.toBe('verified');
    }
    const refused = await thief.multipart('/v1/subjects/PN-VICTIM/verifications', { selfie: stranger });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'DEVICE_LOCKED_OUT']);
    expect(refused.body.error.details.messages.tg).toBeTruthy();
    expect(await stack.service.liveness.attempts.activeLockout(await subjectRow())).toBeNull();
    const own = await pensionerPhone.multipart('/v1/subjects/PN-VICTIM/verifications', { selfie: readFileSync(photo) });
    expect(own.status).toBe(202);
  }, 240_000);

  it('the access report lists the pensioner\'s phones with their last use; the office can revoke one', async () => {
    const report = await pensionerPhone.json('GET', '/v1/subjects/PN-VICTIM/access-report?format=json');
    expect(report.body.devices).toEqual(expect.arrayContaining([
      expect.objectContaining({ issuedVia: 'enrollment', status: 'active', lastUsedAt: expect.any(String) }),
      expect.objectContaining({ issuedVia: 'activation-code', label: 'stolen', status: 'active' }),
    ]));
    const { id } = report.body.devices.find((d: { label: string | null }) => d.label === 'stolen');
    const revoked = await stack.office.json('POST', `/v1/subjects/PN-VICTIM/device-credentials/${id}/revoke`, { reason: 'phone stolen' });
    expect([revoked.status, revoked.body.status, revoked.body.revocationReason]).toEqual([200, 'revoked', 'phone stolen']);
    expect((await pensionerPhone.json('GET', '/v1/subjects/PN-VICTIM')).status).toBe(200);
    // The phone gives up its own credential; from then on it is a stranger.
    const own = await pensionerPhone.json('POST', '/v1/device-credentials/current/revoke', {},
      { authorization: `Bearer ${pensionerPhone.deviceToken('PN-VICTIM')}` });
    expect([own.status, own.body.status]).toEqual([200, 'revoked']);
    expect((await pensionerPhone.json('GET', '/v1/subjects/PN-VICTIM')).status).toBe(401);
  });
});

describe('erasure ends every phone\'s link (Art. 20: the relationship has ended)', () => {
  it('revokes the linked phones and voids unused activation codes', async () => {
    const office = stack.office;
    await office.json('POST', '/v1/subjects', { subjectId: 'PN-ERASED', passport: { ...PASSPORT, number: 'E1234567' } });
    const phone = stack.client.withKey(stack.keys['mobile-client']);
    await linkPhone(phone, 'PN-ERASED', 'daughter');
    expect((await phone.json('GET', '/v1/subjects/PN-ERASED')).status).toBe(200);
    const unused = await office.json('POST', '/v1/subjects/PN-ERASED/activation-codes');
    expect(unused.status).toBe(201);

    const erased = await office.json('POST', '/v1/subjects/PN-ERASED/erasure', { legalReason: 'relationship-ended', reference: 'closure 12' });
    expect(erased.status).toBe(200);
    expect((await phone.json('GET', '/v1/subjects/PN-ERASED')).status).toBe(401);
    const redeem = await stack.client.json('POST', '/v1/device-credentials/activate', { code: unused.body.code, label: 'late' });
    expect([redeem.status, redeem.body.error.code]).toEqual([404, 'ACTIVATION_CODE_INVALID']);
    const rows = await stack.service.platform.db.query<{ revocation_reason: string }>(
      `SELECT d.revocation_reason FROM device_credentials d JOIN subjects s ON s.id = d.subject_id WHERE s.external_ref = 'PN-ERASED'`);
    expect(rows).toEqual([{ revocation_reason: 'erasure: relationship-ended' }]);
  });
});
