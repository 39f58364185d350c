import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { LegalHoldService } from '../../../../src/domain/retention/legal-hold.service.js';
import { PurgeService } from '../../../../src/domain/retention/purge.service.js';
import { RetentionScheduler } from '../../../../src/domain/retention/retention-scheduler.js';
import { retentionHarness, storedItem, subjectRecord } from '../../../support/in-memory/retention.js';

const OFFICER: Actor = { type: 'staff', id: 'legal-1', role: 'admin' };

function world() {
  const h = retentionHarness();
  const purged: string[] = [];
  const purge = new PurgeService({ uow: h.uow, vault: h.recorder.vault, audit: h.audit, clock: h.clock, onPurged: (c) => purged.push(c) });
  return { ...h, purge, purged };
}

describe('purging items whose time has come', () => {
  it('purges what is due, with its blob, template, result and fingerprints, and audits each purge', async () => {
    const w = world();
    const due = new Date(w.clock.now().getTime() - 1000);
    await w.items.insert(storedItem({ id: 'selfie', blobKey: 'blob-selfie', deleteAt: due }));
    await w.items.insert(storedItem({ id: 'template', itemClass: 'reference_template', templateId: 'tpl-1', deleteAt: due }));
    await w.items.insert(storedItem({ id: 'result', itemClass: 'result', deleteAt: due }));
    await w.items.insert(storedItem({ id: 'passport-page', itemClass: 'document_image', blobKey: 'blob-doc', deleteAt: due }));
    await w.items.insert(storedItem({ id: 'later', blobKey: 'blob-later', deleteAt: new Date(w.clock.now().getTime() + 3600_000) }));

    expect(await w.purge.sweep()).toEqual({ purged: 4, overdue: 0 });

    expect(w.recorder.blobsDeleted.sort()).toEqual(['blob-doc', 'blob-selfie']);
    expect(w.recorder.destroyed.sort()).toEqual(['document-fingerprint:passport-page', 'fingerprints:sub1', 'result:sub1', 'template:tpl-1']);
    expect(w.items.rows.filter((r) => r.deletedAt).map((r) => r.id).sort()).toEqual(['passport-page', 'result', 'selfie', 'template']);
    expect(w.log.entries.filter((e) => e.action === 'retention.purged').map((e) => e.targetId).sort()).toEqual(['passport-page', 'result', 'selfie', 'template']);
    expect(w.purged.sort()).toEqual(['document_image', 'reference_template', 'result', 'selfie_image']);
  });

  it('leaves an item before its time, and purging twice is harmless', async () => {
    const w = world();
    await w.items.insert(storedItem({ id: 'selfie', blobKey: 'b', deleteAt: new Date(w.clock.now().getTime() + 60_000) }));
    expect(await w.purge.purgeItem('selfie')).toBe('not-due');
    expect(await w.purge.purgeItem('nothing')).toBe('missing');
    w.clock.advanceDays(1);
    expect(await w.purge.purgeItem('selfie')).toBe('purged');
    expect(await w.purge.purgeItem('selfie')).toBe('already-deleted');
    expect(w.log.actions()).toEqual(['retention.purged']);
  });
});

describe('legal holds', () => {
  it('a hold stops every purge of the subject; its release audits and reschedules the timers, and the purge goes ahead', async () => {
    const w = world();
    const subject = subjectRecord({ id: 's1' });
    const scheduled: string[] = [];
    const timers = new RetentionScheduler({ uow: w.uow, clock: w.clock, queue: { schedule: async (id) => void scheduled.push(id) } });
    const holds = new LegalHoldService({ uow: w.uow, audit: w.audit, clock: w.clock, onReleased: (id) => void timers.scheduleSubject(id) });
    await w.items.insert(storedItem({ id: 'selfie', blobKey: 'blob-selfie', deleteAt: new Date(w.clock.now().getTime() - 1000) }));
    await w.items.insert(storedItem({ id: 'other', subjectId: 's2', deleteAt: new Date(w.clock.now().getTime() - 1000) }));

    const hold = await holds.place(subject, 'court case 12/2026', OFFICER);
    expect(hold).toMatchObject({ subjectId: 's1', placedBy: 'staff:legal-1(admin)', releasedAt: null });
    expect(await w.purge.purgeItem('selfie')).toBe('held');
    expect(await w.purge.sweep()).toEqual({ purged: 1, overdue: 0 });
    expect(w.recorder.blobsDeleted).toEqual([]);
    expect((await w.items.findById('selfie'))?.deletedAt).toBeNull();

    await holds.release(subject, hold.id, OFFICER);
    await new Promise((resolve) => setImmediate(resolve));
    expect(scheduled).toEqual(['selfie']);
    expect(await w.purge.purgeItem('selfie')).toBe('purged');
    expect(w.recorder.blobsDeleted).toEqual(['blob-selfie']);
    expect(w.log.actions()).toEqual(['legal-hold.placed', 'retention.purged', 'legal-hold.released', 'retention.purged']);
  });

  it('refuses to release a hold twice, or one the subject does not have', async () => {
    const w = world();
    const subject = subjectRecord({ id: 's1' });
    let released = 0;
    const holds = new LegalHoldService({ uow: w.uow, audit: w.audit, clock: w.clock, onReleased: () => { released += 1; } });
    const hold = await holds.place(subject, 'audit by the prosecutor', OFFICER);
    await holds.release(subject, hold.id, OFFICER);
    await expect(holds.release(subject, hold.id, OFFICER)).rejects.toMatchObject({ code: 'LEGAL_HOLD_RELEASED', status: 409 });
    await expect(holds.release(subjectRecord({ id: 's2' }), hold.id, OFFICER)).rejects.toMatchObject({ code: 'LEGAL_HOLD_NOT_FOUND', status: 404 });
    expect(released).toBe(1);
    expect(w.log.actions()).toEqual(['legal-hold.placed', 'legal-hold.released']);
  });
});
