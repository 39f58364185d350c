import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { AuditService } from '../../../../src/domain/audit/audit.service.js';
import type { ConsentText, RecordingConfirmation } from '../../../../src/domain/consent/consent.js';
import type { ConsentPorts } from '../../../../src/domain/consent/consent-ports.js';
import { ConsentService, WITHDRAWN_POLICY, type RecordConsentInput } from '../../../../src/domain/consent/consent.service.js';
import type { StoredTemplate, TemplateStatus } from '../../../../src/domain/verification/template.js';
import type { UnitOfWork } from '../../../../src/domain/unit-of-work.js';
import { AppError } from '../../../../src/shared/errors.js';
import { InMemoryAuditLog } from '../../../support/in-memory/audit.js';
import { InMemoryConsentLedger } from '../../../support/in-memory/consent.js';
import { InMemoryTemplates } from '../../../support/in-memory/model-upgrade.js';
import { InMemoryLegalHolds, InMemoryStoredItems, storedItem, subjectRecord } from '../../../support/in-memory/retention.js';
import { InMemoryVault } from '../../../support/in-memory/submissions.js';
import { MutableClock } from '../../../support/mutable-clock.js';

const NOW = new Date('2026-12-06T08:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const PURPOSE = 'pension-proof-of-life';
const TEXT_TG: ConsentText = { id: 'text-tg', version: '2026-11-v1', language: 'tg', purpose: PURPOSE, body: '…', contentSha256: 'ab'.repeat(32) };
const TEXT_RU: ConsentText = { ...TEXT_TG, id: 'text-ru', language: 'ru', contentSha256: 'cd'.repeat(32) };
/** A text the ledger holds for another purpose: a consent to it is no consent to proof of life. */
const TEXT_OTHER: ConsentText = { ...TEXT_TG, id: 'text-x', version: 'other-v1', purpose: 'research' };
const OPERATOR: Actor = { type: 'staff', id: 'staff-3', role: 'operator' };
const PHONE: Actor = { type: 'device', id: 'dev-1', role: null };
const SUBJECT = subjectRecord({ id: 'subj-1' });
const OTHER = subjectRecord({ id: 'subj-2' });
const PASSPORT_SEEN: RecordingConfirmation = { method: 'identity-check', identityCheck: 'passport-seen' };

/**
 * The consent service over the ledger, templates, retention ledger and audit trail in memory. `events` shows, in order,
 * each transaction's commit and each purge started, so a test sees that the purge starts after the commit.
 */
function world() {
  const clock = new MutableClock(NOW);
  const consents = new InMemoryConsentLedger([TEXT_TG, TEXT_RU, TEXT_OTHER]);
  const templates = new InMemoryTemplates();
  const items = new InMemoryStoredItems(new InMemoryLegalHolds());
  const log = new InMemoryAuditLog();
  const ports: ConsentPorts = { consents, templates, items, audit: log };
  const events: string[] = [];
  const uow: UnitOfWork<ConsentPorts> = {
    ports,
    transaction: async (work) => {
      const result = await work(ports);
      events.push('commit');
      return result;
    },
  };
  const vault = new InMemoryVault();
  const service = new ConsentService({
    uow, vault, clock, audit: new AuditService({ uow, clock }), onBiometricsScheduled: (id) => void events.push(`purge:${id}`),
  });
  return { clock, consents, templates, items, log, ports, events, vault, service };
}

type World = ReturnType<typeof world>;

const statement = (over: Partial<RecordConsentInput> = {}): RecordConsentInput => ({
  textVersion: TEXT_TG.version, language: 'tg', purpose: PURPOSE, scope: { biometricProcessing: true, referenceTemplate: true },
  channel: 'e-signature', evidence: Buffer.from('signed payload'), signedAt: new Date(NOW.getTime() - 10 * MINUTE), ip: '10.0.0.9', ...over,
});

const codeOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}` : String(e)));

const template = (id: string, subjectId: string, status: TemplateStatus): StoredTemplate => ({
  id, subjectId, submissionId: `sub-${id}`, source: 'selfie', model: 'm', modelVersion: '1', status, sealedEmbedding: Buffer.from([1]),
  faceScore: 0.9, createdAt: NOW,
});

/** A subject at the office: two consents, references in every state, images and a result in the retention ledger. */
async function enrolled(w: World) {
  const first = await w.service.record(SUBJECT, statement(), OPERATOR, PASSPORT_SEEN);
  const second = await w.service.record(SUBJECT, statement({ language: 'ru', textVersion: TEXT_RU.version }), OPERATOR, PASSPORT_SEEN);
  const others = await w.service.record(OTHER, statement(), OPERATOR, PASSPORT_SEEN);
  w.templates.rows.push(
    template('t1', SUBJECT.id, 'active'), template('t2', SUBJECT.id, 'pending_review'), template('t3', SUBJECT.id, 'superseded'),
    template('t9', OTHER.id, 'active'),
  );
  const later = new Date(NOW.getTime() + 30 * DAY);
  w.items.rows.push(
    storedItem({ id: 'i-selfie', subjectId: SUBJECT.id, itemClass: 'selfie_image', deleteAt: later }),
    storedItem({ id: 'i-ref', subjectId: SUBJECT.id, itemClass: 'reference_template', deleteAt: null, deleteCondition: 'until-consent-withdrawn' }),
    storedItem({ id: 'i-result', subjectId: SUBJECT.id, itemClass: 'result', policy: 'results-365d', deleteAt: later }),
    storedItem({ id: 'i-other', subjectId: OTHER.id, itemClass: 'selfie_image', deleteAt: later }),
  );
  w.log.entries.length = 0;
  w.events.length = 0;
  return { first, second, others, later };
}

describe('recording a consent', () => {
  it('keeps the signed text and its hash, the evidence sealed in the vault and only its hash on the record', async () => {
    const w = world();
    const evidence = Buffer.from('the pensioner\'s signed payload');
    const consent = await w.service.record(SUBJECT, statement({ evidence, deviceId: 'tablet-4' }), OPERATOR, PASSPORT_SEEN);

    expect(consent).toMatchObject({
      subjectId: SUBJECT.id, textId: TEXT_TG.id, textVersion: TEXT_TG.version, language: 'tg', purpose: PURPOSE, textSha256: TEXT_TG.contentSha256,
      evidenceSha256: createHash('sha256').update(evidence).digest('hex'), deviceId: 'tablet-4', ip: '10.0.0.9', recordedAt: NOW,
      recordedBy: 'staff:staff-3(operator)', status: 'active', withdrawnAt: null, confirmation: PASSPORT_SEEN,
    });
    const [row] = w.consents.rows;
    expect(w.vault.evidence.get(row!.evidenceBlobKey)).toEqual(evidence);
    expect(Object.values(row!).some((v) => Buffer.isBuffer(v))).toBe(false);
    expect(await w.service.list(SUBJECT)).toEqual([consent]);
  });

  it('audits consent.recorded with the confirmation method and the operator\'s identity check', async () => {
    const w = world();
    const consent = await w.service.record(SUBJECT, statement(), OPERATOR, PASSPORT_SEEN);
    expect(w.log.entries).toEqual([expect.objectContaining({
      action: 'consent.recorded', outcome: 'success', subjectId: SUBJECT.id, targetId: consent.id, actor: OPERATOR,
      details: { channel: 'e-signature', textVersion: TEXT_TG.version, language: 'tg', confirmedBy: 'identity-check', identityCheck: 'passport-seen' },
    })]);
  });

  it('a phone\'s consent pending its enrolment is audited as such, with no identity check', async () => {
    const w = world();
    await w.service.record(SUBJECT, statement({ channel: 'mobile-app-signature' }), PHONE, { method: 'enrolment-pending' });
    expect(w.log.entries[0]!.details).toEqual({ channel: 'mobile-app-signature', textVersion: TEXT_TG.version, language: 'tg', confirmedBy: 'enrolment-pending' });
  });

  it.each([
    ['a text version the ledger does not hold', { textVersion: '1999-v0' }, '400 CONSENT_TEXT_UNKNOWN'],
    ['a known version in a language it was not published in', { language: 'en' as const }, '400 CONSENT_TEXT_UNKNOWN'],
    ['another purpose', { purpose: 'marketing' }, '400 PURPOSE_NOT_ALLOWED'],
    ['a text written for another purpose', { textVersion: TEXT_OTHER.version }, '400 PURPOSE_NOT_ALLOWED'],
    ['a paper form without its witness', { channel: 'paper-scan' as const }, '400 WITNESS_REQUIRED'],
    ['a signature dated in the future', { signedAt: new Date(NOW.getTime() + 10 * MINUTE) }, '400 SIGNED_AT_INVALID'],
    ['a signature older than 30 days', { signedAt: new Date(NOW.getTime() - 31 * DAY) }, '400 SIGNED_AT_INVALID'],
  ])('refuses %s, keeping nothing', async (_what, over, code) => {
    const w = world();
    expect(await codeOf(w.service.record(SUBJECT, statement(over), OPERATOR, PASSPORT_SEEN))).toBe(code);
    expect(w.consents.rows).toEqual([]);
    expect(w.vault.evidence.size).toBe(0);
    expect(w.log.entries).toEqual([]);
  });

  it('accepts a paper form with its witness, a phone clock a little ahead and a signature 29 days old', async () => {
    const w = world();
    for (const over of [
      { channel: 'paper-scan' as const, witness: 'staff-3' }, { signedAt: new Date(NOW.getTime() + 4 * MINUTE) }, { signedAt: new Date(NOW.getTime() - 29 * DAY) },
    ]) await w.service.record(SUBJECT, statement(over), OPERATOR, PASSPORT_SEEN);
    expect(w.consents.rows.map((r) => r.witness)).toEqual(['staff-3', null, null]);
  });

  it.each(['closed', 'erased'] as const)('refuses a subject who is %s', async (status) => {
    const w = world();
    expect(await codeOf(w.service.record({ ...SUBJECT, status }, statement(), OPERATOR, PASSPORT_SEEN))).toBe('409 SUBJECT_NOT_ACTIVE');
    expect(w.consents.rows).toEqual([]);
    expect(w.vault.evidence.size).toBe(0);
  });

  it('offers the newest text of each language', async () => {
    const w = world();
    const newer = { ...TEXT_TG, id: 'text-tg-2', version: '2026-12-v2' };
    w.consents.texts.push(newer);
    expect((await w.service.texts()).map((t) => t.id)).toEqual(['text-ru', 'text-tg-2']);
    expect(await w.service.texts('tg')).toEqual([newer]);
  });
});

describe('what a consent covers', () => {
  it('only an active consent of the subject with every scope needed', async () => {
    const w = world();
    await w.service.record(SUBJECT, statement({ scope: { biometricProcessing: true, referenceTemplate: false } }), OPERATOR, PASSPORT_SEEN);
    expect(await w.service.isCovered(SUBJECT.id, ['biometricProcessing'])).toBe(true);
    expect(await w.service.isCovered(SUBJECT.id, ['biometricProcessing', 'referenceTemplate'])).toBe(false);
    expect(await w.service.isCovered(OTHER.id, ['biometricProcessing'])).toBe(false);
    await w.service.require(SUBJECT.id, ['biometricProcessing']);
    expect(await codeOf(w.service.require(SUBJECT.id, ['referenceTemplate']))).toBe('409 CONSENT_REQUIRED');
  });

  it('nothing once the consent is withdrawn', async () => {
    const w = world();
    const consent = await w.service.record(SUBJECT, statement(), OPERATOR, PASSPORT_SEEN);
    await w.service.withdraw(SUBJECT, consent.id, 'changed my mind', OPERATOR);
    expect(await codeOf(w.service.require(SUBJECT.id, ['biometricProcessing']))).toBe('409 CONSENT_REQUIRED');
  });
});

describe('withdrawing consent at the office', () => {
  const idCardSeen = { method: 'identity-check', identityCheck: 'id-card-seen' } as const;

  it('ends every active consent, takes the references out of use and schedules the biometrics for deletion now', async () => {
    const w = world();
    const { first, second, others, later } = await enrolled(w);
    const withdrawn = await w.service.withdraw(SUBJECT, first.id, 'moving abroad', OPERATOR, idCardSeen);

    expect(withdrawn).toMatchObject({
      id: first.id, status: 'withdrawn', withdrawnAt: NOW, withdrawnBy: 'staff:staff-3(operator)', withdrawalReason: 'moving abroad',
      withdrawalConfirmation: idCardSeen,
    });
    expect((await w.service.list(SUBJECT)).map((c) => [c.id, c.status])).toEqual([[first.id, 'withdrawn'], [second.id, 'withdrawn']]);
    expect((await w.service.list(OTHER)).map((c) => [c.id, c.status])).toEqual([[others.id, 'active']]);
    expect(w.templates.rows.map((t) => [t.id, t.status])).toEqual([['t1', 'withdrawn'], ['t2', 'withdrawn'], ['t3', 'withdrawn'], ['t9', 'active']]);
    expect(w.items.rows.map((r) => [r.id, r.deleteAt, r.policy])).toEqual([
      ['i-selfie', NOW, WITHDRAWN_POLICY], ['i-ref', NOW, WITHDRAWN_POLICY], ['i-result', later, 'results-365d'], ['i-other', later, 'images-30d-after-decision'],
    ]);
  });

  it('audits consent.withdrawn with the consents ended, the items scheduled and the identity check', async () => {
    const w = world();
    const { first, second } = await enrolled(w);
    await w.service.withdraw(SUBJECT, second.id, 'moving abroad', OPERATOR, idCardSeen);
    expect(w.log.entries).toEqual([expect.objectContaining({
      action: 'consent.withdrawn', outcome: 'success', subjectId: SUBJECT.id, targetId: `${first.id},${second.id}`, actor: OPERATOR,
      details: { consents: 2, itemsScheduledForDeletion: 2, confirmedBy: 'identity-check', identityCheck: 'id-card-seen' },
    })]);
  });

  it('starts the purge once the withdrawal has committed', async () => {
    const w = world();
    const { first } = await enrolled(w);
    await w.service.withdraw(SUBJECT, first.id, 'moving abroad', OPERATOR);
    expect(w.events).toEqual(['commit', `purge:${SUBJECT.id}`]);
  });

  it('a second withdrawal changes nothing: the first one\'s time and reason stay, nothing more is audited or purged', async () => {
    const w = world();
    const { first } = await enrolled(w);
    await w.service.withdraw(SUBJECT, first.id, 'moving abroad', OPERATOR);
    w.clock.advanceDays(1);
    const again = await w.service.withdraw(SUBJECT, first.id, 'again', OPERATOR);
    expect(again).toMatchObject({ status: 'withdrawn', withdrawnAt: NOW, withdrawalReason: 'moving abroad' });
    expect(w.log.actions()).toEqual(['consent.withdrawn']);
    expect(w.events.filter((e) => e.startsWith('purge'))).toHaveLength(1);
  });

  it('a consent the subject does not have: 404 CONSENT_NOT_FOUND, nothing ends', async () => {
    const w = world();
    const { others } = await enrolled(w);
    for (const id of ['no-such-consent', others.id]) {
      expect(await codeOf(w.service.withdraw(SUBJECT, id, 'x', OPERATOR))).toBe('404 CONSENT_NOT_FOUND');
    }
    expect(w.consents.rows.every((r) => r.status === 'active')).toBe(true);
    expect(w.log.entries).toEqual([]);
    expect(w.events).toEqual([]);
  });
});

describe('the consent a phone\'s withdrawal names', () => {
  it('is returned while active; 409 CONSENT_ALREADY_WITHDRAWN once ended, with the phone\'s messages; 404 when unknown', async () => {
    const w = world();
    const { first } = await enrolled(w);
    expect((await w.service.activeConsent(SUBJECT, first.id)).id).toBe(first.id);
    await w.service.withdraw(SUBJECT, first.id, 'x', OPERATOR);
    const refusal = await w.service.activeConsent(SUBJECT, first.id).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status: 409, code: 'CONSENT_ALREADY_WITHDRAWN' });
    expect(Object.keys((refusal as AppError & { details: { messages: object } }).details.messages).sort()).toEqual(['en', 'ru', 'tg']);
    expect(await codeOf(w.service.activeConsent(SUBJECT, 'nope'))).toBe('404 CONSENT_NOT_FOUND');
  });
});

describe('withdrawing all consents inside a caller\'s transaction (erasure)', () => {
  it('ends them on the caller\'s ports and leaves the purge to the caller, to start once it commits', async () => {
    const w = world();
    const { first, second } = await enrolled(w);
    expect(await w.service.withdrawAll(SUBJECT.id, 'erasure', OPERATOR, w.ports)).toEqual([first.id, second.id]);
    expect(w.templates.of(SUBJECT.id).every((t) => t.status === 'withdrawn')).toBe(true);
    expect(w.log.actions()).toEqual(['consent.withdrawn']);
    expect(w.events).toEqual([]);
    w.service.purgeNow(SUBJECT.id);
    expect(w.events).toEqual([`purge:${SUBJECT.id}`]);
  });

  it('with no active consent: nothing ends, nothing is audited', async () => {
    const w = world();
    expect(await w.service.withdrawAll(SUBJECT.id, 'erasure', OPERATOR)).toEqual([]);
    expect(w.log.entries).toEqual([]);
    expect(w.events).toEqual(['commit']);
  });
});

describe('a phone\'s withdrawal, settled by the worker\'s decision on its selfie', () => {
  async function requested(w: World) {
    const setup = await enrolled(w);
    await w.consents.insertWithdrawalRequest({
      submissionId: 'sub-w', subjectId: SUBJECT.id, consentId: setup.first.id, reason: 'no longer wish', requestedBy: JSON.stringify(PHONE), createdAt: NOW,
    });
    return setup;
  }

  it('verified: carried out as the phone\'s, confirmed by the selfie; the purge is the worker\'s to start', async () => {
    const w = world();
    const { first, second } = await requested(w);
    expect(await w.service.settleWithdrawal(w.ports, 'sub-w', 'verified', 0.93)).toBe(SUBJECT.id);
    const selfie = { method: 'selfie', submissionId: 'sub-w', decision: 'verified', score: 0.93 };
    expect(await w.service.list(SUBJECT)).toEqual([first.id, second.id].map((id) => expect.objectContaining({
      id, status: 'withdrawn', withdrawnBy: 'device:dev-1', withdrawalReason: 'no longer wish', withdrawalConfirmation: selfie,
    })));
    expect(w.consents.withdrawalRequests[0]).toMatchObject({ settled: { at: NOW, carriedOut: true } });
    expect(w.log.entries).toEqual([expect.objectContaining({
      action: 'consent.withdrawn', actor: PHONE, details: { consents: 2, itemsScheduledForDeletion: 2, confirmedBy: 'selfie', submissionId: 'sub-w', score: 0.93 },
    })]);
    expect(w.events).toEqual([]);
  });

  it.each(['rejected', 'needs_review', null])('%s: nothing ends and the refusal is audited as the phone\'s', async (decision) => {
    const w = world();
    const { first } = await requested(w);
    expect(await w.service.settleWithdrawal(w.ports, 'sub-w', decision, 0.41)).toBeNull();
    expect(w.consents.rows.every((r) => r.status === 'active')).toBe(true);
    expect(w.templates.rows.every((t) => t.status !== 'withdrawn')).toBe(true);
    expect(w.consents.withdrawalRequests[0]).toMatchObject({ settled: { at: NOW, carriedOut: false } });
    expect(w.log.entries).toEqual([expect.objectContaining({
      action: 'consent.withdrawal-refused', outcome: 'denied', actor: PHONE, subjectId: SUBJECT.id, targetId: first.id,
      details: { submissionId: 'sub-w', decision, score: 0.41 },
    })]);
  });

  it('a re-run of the job settles nothing more', async () => {
    const w = world();
    await requested(w);
    await w.service.settleWithdrawal(w.ports, 'sub-w', 'rejected', 0.41);
    expect(await w.service.settleWithdrawal(w.ports, 'sub-w', 'verified', 0.93)).toBeNull();
    expect(w.consents.rows.every((r) => r.status === 'active')).toBe(true);
    expect(w.log.actions()).toEqual(['consent.withdrawal-refused']);
    expect(await w.service.settleWithdrawal(w.ports, 'no-request', 'verified', 0.93)).toBeNull();
  });
});
