import { describe, expect, it } from 'vitest';
import type { Consent } from '../../../../src/domain/consent/consent.js';
import { SubjectAccessPolicy } from '../../../../src/domain/devices/subject-access.service.js';
import type { Subject } from '../../../../src/domain/subjects/subject.js';
import { NotFoundError } from '../../../../src/shared/errors.js';

const subject = (ref: string, id: string): Subject => ({
  id, ref, status: 'active', hasPassport: true, language: 'tg', enrolledAt: null, createdAt: new Date(), erasedAt: null, reenrolment: null,
});

function policy(state: { enrolled?: boolean; consent?: 'active' | 'withdrawn' | null } = {}) {
  const subjects = new Map([['PN-A', subject('PN-A', 'id-a')], ['PN-B', subject('PN-B', 'id-b')]]);
  return new SubjectAccessPolicy({
    subjects: {
      get: async (ref) => {
        const s = subjects.get(ref);
        if (!s) throw new NotFoundError('SUBJECT_NOT_FOUND', `No subject with id "${ref}".`);
        return s;
      },
      passport: async () => ({ documentType: 'tj_passport', number: 'A1234567', surname: 'R', givenNames: 'A', dateOfBirth: '1955-03-14', expiryDate: '2030-01-01' }),
      isEnrolled: async () => state.enrolled ?? false,
    },
    consents: { list: async () => (state.consent ? [{ status: state.consent } as Consent] : []) },
    submissions: { subjectOfSubmission: async (id) => (id === 'sub-a' ? 'id-a' : null) },
    claimantOf: async (id) => (id === 'sub-a' ? 'api-key:app1' : null),
  });
}

const APP = { kind: 'app-key' as const, ref: 'api-key:app1' };
const OTHER_APP = { kind: 'app-key' as const, ref: 'api-key:app2' };
const DEVICE_A = { kind: 'device' as const, device: { credentialId: 'c1', subjectId: 'id-a' } };
const notFound = { status: 404, code: 'SUBJECT_NOT_FOUND', message: 'No subject with id "PN-A".' };

describe('whose data a mobile caller may touch', () => {
  it('a phone reaches only its own subject, with the answer of a missing subject elsewhere', async () => {
    await policy().checkSubject(DEVICE_A, 'PN-A');
    await expect(policy().checkSubject(DEVICE_A, 'PN-B')).rejects.toMatchObject({ ...notFound, message: 'No subject with id "PN-B".' });
    await expect(policy().checkSubject(DEVICE_A, 'PN-X')).rejects.toMatchObject({ status: 404, code: 'SUBJECT_NOT_FOUND' });
  });

  it('the app key alone: nothing but a first contact that shows the document number', async () => {
    await expect(policy().checkSubject(APP, 'PN-A')).rejects.toMatchObject(notFound);
    await expect(policy().checkSubject(APP, 'PN-A', { kind: 'consent', documentNumber: null })).rejects.toMatchObject(notFound);
    await expect(policy().checkSubject(APP, 'PN-A', { kind: 'consent', documentNumber: 'B0000000' })).rejects.toMatchObject(notFound);
    await policy().checkSubject(APP, 'PN-A', { kind: 'consent', documentNumber: ' a1234567 ' });
    await policy().checkSubject(APP, 'PN-A', { kind: 'enrolment', documentNumber: 'A1234567' });
  });

  it('the first contact ends with an active consent (for consents) and with enrolment (for both)', async () => {
    await expect(policy({ consent: 'active' }).checkSubject(APP, 'PN-A', { kind: 'consent', documentNumber: 'A1234567' })).rejects.toMatchObject(notFound);
    await policy({ consent: 'withdrawn' }).checkSubject(APP, 'PN-A', { kind: 'consent', documentNumber: 'A1234567' });
    await policy({ consent: 'active' }).checkSubject(APP, 'PN-A', { kind: 'enrolment', documentNumber: 'A1234567' });
    await expect(policy({ enrolled: true }).checkSubject(APP, 'PN-A', { kind: 'enrolment', documentNumber: 'A1234567' })).rejects.toMatchObject(notFound);
  });

  it('submissions: a phone reads its subject\'s, the app key only the enrolment it sent', async () => {
    await policy().checkSubmission(DEVICE_A, 'sub-a');
    await policy().checkSubmission(APP, 'sub-a');
    await expect(policy().checkSubmission(OTHER_APP, 'sub-a')).rejects.toMatchObject({ status: 404, code: 'SUBMISSION_NOT_FOUND' });
    await expect(policy().checkSubmission({ kind: 'device', device: { credentialId: 'c2', subjectId: 'id-b' } }, 'sub-a'))
      .rejects.toMatchObject({ status: 404, code: 'SUBMISSION_NOT_FOUND' });
  });
});
