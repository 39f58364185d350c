import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { SYSTEM_WORKER } from '../../../../src/domain/audit/audit-entry.js';
import { AuditService } from '../../../../src/domain/audit/audit.service.js';
import {
  ConsentConfirmationService, settleFirstConsents,
} from '../../../../src/domain/consent/consent-confirmation.service.js';
import type { ConsentRecordRequest, ConsentText, NewConsent, RecordingConfirmation } from '../../../../src/domain/consent/consent.js';
import type { RecordConsentInput } from '../../../../src/domain/consent/consent.service.js';
import type { Subject } from '../../../../src/domain/subjects/subject.js';
import { AppError } from '../../../../src/shared/errors.js';
import { InMemoryAuditLog } from '../../../support/in-memory/audit.js';
import { InMemoryConsentLedger } from '../../../support/in-memory/consent.js';
import { inMemoryUnitOfWork } from '../../../support/in-memory/unit-of-work.js';
import { MutableClock } from '../../../support/mutable-clock.js';

const NOW = new Date('2026-12-06T08:00:00Z');
const PHONE: Actor = { type: 'device', id: 'dev-1', role: null };
const TEXT: ConsentText = { id: 'text-1', version: '2026-11-v1', language: 'tg', purpose: 'pension-proof-of-life', body: '…', contentSha256: 'ab'.repeat(32) };
const SUBJECT = { id: 'subj-1', ref: 'PN-1', status: 'active' } as Subject;

function world(opts: { enrolled?: boolean } = {}) {
  const consents = new InMemoryConsentLedger([TEXT]);
  const log = new InMemoryAuditLog();
  const ports = { consents, audit: log };
  const clock = new MutableClock(NOW);
  const audit = new AuditService({ uow: inMemoryUnitOfWork({ audit: log }), clock });
  const recorded: { input: RecordConsentInput; confirmation: RecordingConfirmation | null }[] = [];
  const service = new ConsentConfirmationService({
    uow: inMemoryUnitOfWork(ports), audit, clock,
    subjects: { isEnrolled: async () => opts.enrolled ?? false },
    consents: {
      record: async (_s, input, _a, confirmation = null) => {
        recorded.push({ input, confirmation });
        return { id: 'c-new', confirmation } as never;
      },
    },
  });
  return { consents, log, ports, audit, service, recorded };
}

const pendingRow = (id: string, over: Partial<NewConsent> = {}): NewConsent => ({
  id, subjectId: SUBJECT.id, textId: TEXT.id, purpose: TEXT.purpose, scope: { biometricProcessing: true, referenceTemplate: true },
  channel: 'mobile-app-signature', witness: null, evidenceBlobKey: 'ev', evidenceSha256: 'ff', deviceId: null, ip: null, signedAt: NOW,
  recordedAt: NOW, recordedBy: 'api-key:app', status: 'active', confirmation: { method: 'enrolment-pending' }, ...over,
});

const statement = (over: Partial<RecordConsentInput> = {}): RecordConsentInput => ({
  textVersion: TEXT.version, language: 'tg', purpose: TEXT.purpose, scope: { biometricProcessing: true, referenceTemplate: true },
  channel: 'mobile-app-signature', evidence: Buffer.from('signed'), signedAt: new Date(NOW.getTime() - 60_000), ip: null, ...over,
});

const codeOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe('a first consent from the phone, settled by the enrolment that follows it', () => {
  const decided = (decision: string | null, actor: Actor = SYSTEM_WORKER) =>
    ({ subjectId: SUBJECT.id, submissionId: 'enrol-1', decision, score: 0.91, actor, at: NOW });

  it('verified: confirmed with the enrolment selfie\'s decision, score and submission; an office consent is untouched', async () => {
    const w = world();
    await w.consents.insert(pendingRow('c1'));
    await w.consents.insert(pendingRow('c2', { confirmation: { method: 'identity-check', identityCheck: 'passport-seen' } }));
    expect(await settleFirstConsents(w.audit, w.ports, decided('verified'))).toEqual(['c1']);
    expect(w.consents.rows[0]).toMatchObject({ status: 'active', confirmation: { method: 'selfie', submissionId: 'enrol-1', decision: 'verified', score: 0.91 } });
    expect(w.consents.rows[1]!.confirmation).toEqual({ method: 'identity-check', identityCheck: 'passport-seen' });
    expect(w.log.actions()).toEqual(['consent.face-confirmed']);
  });

  it('rejected (by the machine or a reviewer): the consent ends, naming who decided and why, and the refusal is audited', async () => {
    const w = world();
    await w.consents.insert(pendingRow('c1'));
    const reviewer: Actor = { type: 'staff', id: 'staff-7', role: 'reviewer' };
    await settleFirstConsents(w.audit, w.ports, decided('rejected', reviewer));
    expect(w.consents.rows[0]).toMatchObject({ status: 'withdrawn', confirmation: { decision: 'rejected' }, withdrawnBy: 'staff:staff-7(reviewer)' });
    expect(w.consents.rows[0]!.withdrawalReason).toMatch(/^FACE_NOT_CONFIRMED/);
    expect(w.log.entries.map((e) => [e.action, e.outcome])).toEqual([['consent.face-refused', 'denied']]);
  });

  it('in review or failed: still pending, nothing audited', async () => {
    const w = world();
    await w.consents.insert(pendingRow('c1'));
    for (const decision of ['needs_review', null]) expect(await settleFirstConsents(w.audit, w.ports, decided(decision))).toEqual([]);
    expect(w.consents.rows[0]!.confirmation).toEqual({ method: 'enrolment-pending' });
    expect(w.log.entries).toEqual([]);
  });
});

describe("a later consent from the phone, recorded only on the worker's match", () => {
  const request = (): ConsentRecordRequest => ({
    submissionId: 'sub-1', subjectId: SUBJECT.id, textId: TEXT.id, purpose: TEXT.purpose, scope: { biometricProcessing: true, referenceTemplate: true },
    channel: 'mobile-app-signature', evidenceBlobKey: 'ev-1', evidenceSha256: 'ee', deviceId: 'phone', ip: '10.0.0.1', signedAt: NOW,
    requestedBy: JSON.stringify(PHONE), createdAt: NOW,
  });

  it('verified: recorded as the phone\'s, keeping the selfie\'s decision, score and submission; a re-run records nothing more', async () => {
    const w = world();
    await w.consents.insertRecordRequest(request());
    expect(await w.service.settleRequest(w.ports, 'sub-1', 'verified', 0.88, 'c-9')).toBe('c-9');
    expect(w.consents.rows).toEqual([expect.objectContaining({
      id: 'c-9', status: 'active', recordedBy: 'device:dev-1', evidenceBlobKey: 'ev-1',
      confirmation: { method: 'selfie', submissionId: 'sub-1', decision: 'verified', score: 0.88 },
    })]);
    expect(w.consents.recordRequests[0]!.settled?.consentId).toBe('c-9');
    expect(await w.service.settleRequest(w.ports, 'sub-1', 'verified', 0.88)).toBeNull();
    expect(w.consents.rows).toHaveLength(1);
    expect(w.log.entries.map((e) => [e.action, e.actor.type])).toEqual([['consent.recorded', 'device']]);
  });

  it('anything but verified: nothing recorded, the refusal audited as the phone\'s', async () => {
    const w = world();
    await w.consents.insertRecordRequest(request());
    expect(await w.service.settleRequest(w.ports, 'sub-1', 'rejected', 0.4)).toBeNull();
    expect(w.consents.rows).toEqual([]);
    expect(w.consents.recordRequests[0]!.settled).toMatchObject({ consentId: null });
    expect(w.log.entries.map((e) => [e.action, e.outcome, e.actor.type])).toEqual([['consent.recording-refused', 'denied', 'device']]);
  });
});

describe('a consent the phone sends as JSON', () => {
  it('before enrolment: recorded pending the enrolment that follows', async () => {
    const w = world({ enrolled: false });
    await w.service.recordFromPhone(SUBJECT, statement(), PHONE);
    expect(w.recorded.map((r) => r.confirmation)).toEqual([{ method: 'enrolment-pending' }]);
  });

  it('once enrolled: refused with CONSENT_SELFIE_REQUIRED, after the statement itself is checked', async () => {
    const w = world({ enrolled: true });
    expect(await codeOf(w.service.recordFromPhone(SUBJECT, statement(), PHONE))).toBe('CONSENT_SELFIE_REQUIRED');
    expect(await codeOf(w.service.recordFromPhone(SUBJECT, statement({ purpose: 'marketing' }), PHONE))).toBe('PURPOSE_NOT_ALLOWED');
    expect(w.recorded).toEqual([]);
  });

  it('a phone signs electronically: a paper form is not its channel', async () => {
    const w = world();
    const paper = { ...statement({ channel: 'paper-scan', witness: 'someone' }), deviceId: null };
    expect(await codeOf(w.service.draft(paper))).toBe('CHANNEL_NOT_ALLOWED');
  });
});
