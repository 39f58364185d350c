import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { ErasureService } from '../../../../src/domain/rights/erasure.service.js';
import type { RightsPorts } from '../../../../src/domain/rights/rights-ports.js';
import { rightsHarness } from '../../../support/in-memory/rights.js';
import { storedItem, subjectRecord } from '../../../support/in-memory/retention.js';

const OFFICER: Actor = { type: 'staff', id: 'dpo-1', role: 'admin' };

/** A subject with a selfie, a passport page, a reference template and a result, and the erasure service over them. */
async function world() {
  const h = rightsHarness();
  h.subjects.rows.set('s1', subjectRecord({ id: 's1' }));
  await h.items.insert(storedItem({ id: 'selfie', blobKey: 'blob-selfie', deleteAt: new Date('2026-12-20T00:00:00Z') }));
  await h.items.insert(storedItem({ id: 'page', itemClass: 'document_image', role: 'document', blobKey: 'blob-page', deleteAt: new Date('2026-12-20T00:00:00Z') }));
  await h.items.insert(storedItem({ id: 'template', itemClass: 'reference_template', templateId: 't1', deleteCondition: 'consent_withdrawn_or_subject_closed' }));
  await h.items.insert(storedItem({ id: 'result', itemClass: 'result', policy: 'results-1825d', deleteAt: new Date('2031-12-01T00:00:00Z') }));
  h.templates.rows.push({ subjectId: 's1', source: 'enrollment', model: 'm', status: 'active', createdAt: new Date('2026-01-10T00:00:00Z'), deletedAt: null, sealed: true });
  const withdrawals: { subjectId: string; reason: string; inTransaction: boolean }[] = [];
  const consents = {
    withdrawAll: async (subjectId: string, reason: string, _actor: Actor, scope: RightsPorts) => {
      withdrawals.push({ subjectId, reason, inTransaction: scope === h.ports });
      return ['c1'];
    },
  };
  const deleted: string[] = [];
  const vault = { deleteImage: async (key: string) => { if (key === 'blob-page') throw new Error('disk gone'); deleted.push(key); } };
  const erasure = new ErasureService({ uow: h.uow, consents, vault, audit: h.audit, clock: h.clock, ledger: h.ledger });
  return { ...h, erasure, withdrawals, deleted };
}

describe('erasure (Art. 20)', () => {
  it('shreds the key first, ends consents in the same transaction, destroys biometrics and traces, keeps the result', async () => {
    const w = await world();
    const result = await w.erasure.erase(subjectRecord({ id: 's1' }), 'court-decision', 'case 4/2026', OFFICER);

    expect(w.recorder.calls).toEqual([
      'subjectKeys:s1', 'fingerprints:s1', 'documentRegistry:s1', 'livenessChallenges:s1', 'livenessAttempts:s1', 'devices:s1 by staff:dpo-1',
    ]);
    expect(w.withdrawals).toEqual([{ subjectId: 's1', reason: 'erasure: court-decision', inTransaction: true }]);
    expect(w.templates.rows).toMatchObject([{ sealed: false, status: 'withdrawn', deletedAt: w.clock.now() }]);
    const after = Object.fromEntries(w.items.rows.map((i) => [i.id, i]));
    for (const id of ['selfie', 'page', 'template']) expect(after[id]).toMatchObject({ deletedAt: w.clock.now(), policy: 'erasure' });
    expect(after.result).toMatchObject({ deletedAt: null, policy: 'results-1825d' });
    expect(await w.subjects.findById('s1')).toMatchObject({ status: 'erased', erasedAt: w.clock.now() });
    // A blob that cannot be deleted is already unreadable (its key is gone); the sweep tries again.
    expect(w.deleted).toEqual(['blob-selfie']);
    expect(result).toEqual({ blobsDeleted: 1 });
  });

  it('records the erasure in the audit trail and in the ledger kept outside the database', async () => {
    const w = await world();
    await w.erasure.erase(subjectRecord({ id: 's1' }), 'subject-request', 'letter 17', OFFICER);
    expect(w.log.entries).toMatchObject([{
      action: 'subject.erased', actor: OFFICER, subjectId: 's1', targetId: 's1', outcome: 'success',
      details: { reason: 'subject-request', reference: 'letter 17', templates: 1, images: 2, devicesRevoked: 2 },
    }]);
    expect(w.ledger.entries()).toEqual([{ subjectId: 's1', erasedAt: w.clock.now().toISOString(), reason: 'subject-request' }]);
  });

  it('refuses a subject already erased, destroying nothing more', async () => {
    const w = await world();
    const erased = subjectRecord({ id: 's1', status: 'erased' });
    await expect(w.erasure.erase(erased, 'court-decision', 'again', OFFICER)).rejects.toMatchObject({ code: 'SUBJECT_ALREADY_ERASED', status: 409 });
    expect(w.recorder.calls).toEqual([]);
    expect(w.log.entries).toEqual([]);
  });

  it('after a restore, erases again whom the ledger names and records what the ledger missed', async () => {
    const w = await world();
    w.ledger.append({ subjectId: 's1', erasedAt: '2026-11-30T10:00:00.000Z', reason: 'death-registered' });
    w.subjects.rows.set('s2', { ...subjectRecord({ id: 's2', status: 'erased', erasedAt: new Date('2026-11-29T00:00:00Z') }), erasureReason: 'term-ended' });

    expect(await w.erasure.replayLedger()).toEqual({ reErased: 1, recorded: 1 });
    expect(await w.subjects.findById('s1')).toMatchObject({ status: 'erased' });
    expect(w.log.entries).toMatchObject([{ action: 'subject.erased', actor: { id: 'erasure-ledger-replay' }, details: { reason: 'death-registered' } }]);
    expect(w.ledger.entries()).toEqual([
      { subjectId: 's1', erasedAt: '2026-11-30T10:00:00.000Z', reason: 'death-registered' },
      { subjectId: 's2', erasedAt: '2026-11-29T00:00:00.000Z', reason: 'term-ended' },
    ]);
    expect(await w.erasure.replayLedger()).toEqual({ reErased: 0, recorded: 0 });
  });
});
