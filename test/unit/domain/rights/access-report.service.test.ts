import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { AccessReportService } from '../../../../src/domain/rights/access-report.service.js';
import type { Passport } from '../../../../src/domain/subjects/passport.js';
import { rightsHarness } from '../../../support/in-memory/rights.js';
import { storedItem, subjectRecord } from '../../../support/in-memory/retention.js';

const OFFICER: Actor = { type: 'staff', id: 'op-1', role: 'operator' };
const REVIEWER: Actor = { type: 'staff', id: 'rev-1', role: 'reviewer' };
const PASSPORT: Passport = {
  documentType: 'tj_passport', number: 'A1234567', surname: 'RAHIMOV', givenNames: 'SAID', dateOfBirth: '1950-03-01', expiryDate: '2030-01-01',
};

async function world() {
  const h = rightsHarness();
  const passportReads: string[] = [];
  const passports = { passport: async (s: { id: string }) => { passportReads.push(s.id); return PASSPORT; } };
  await h.items.insert(storedItem({ id: 'selfie', deleteAt: new Date('2026-12-31T00:00:00Z') }));
  await h.items.insert(storedItem({ id: 'frame', itemClass: 'liveness_frame', role: null, deleteAt: new Date('2026-12-02T00:00:00Z') }));
  h.templates.rows.push({ subjectId: 's1', source: 'enrollment', model: 'm', status: 'active', createdAt: new Date('2026-01-10T00:00:00Z'), deletedAt: null, sealed: true });
  await h.audit.record({ actor: REVIEWER, action: 'image.viewed', purpose: 'review', subjectId: 's1', targetType: 'image', targetId: 'selfie', outcome: 'success' });
  await h.audit.record({ actor: REVIEWER, action: 'review.decided', subjectId: 's1', targetType: 'submission', targetId: 'sub1', outcome: 'success' });
  return { ...h, passportReads, reports: new AccessReportService({ uow: h.uow, passports, audit: h.audit, clock: h.clock }) };
}

describe('the access report (Art. 22)', () => {
  it('lists identity, images, frames and templates, and who looked at the images; the export is audited', async () => {
    const w = await world();
    const report = await w.reports.build(subjectRecord({ id: 's1' }), 'en', OFFICER);
    const items = Object.fromEntries(report.categories.map((c) => [c.category, c.items]));
    expect(items.identity).toMatchObject([{ pensionNumber: 'PN-s1', passportNumber: 'A1234567', surname: 'RAHIMOV' }]);
    expect(items.images).toMatchObject([{ kind: 'selfie', deleteAt: '2026-12-31T00:00:00.000Z' }]);
    expect(items.frames).toHaveLength(1);
    expect(items.templates).toMatchObject([{ source: 'enrollment', status: 'active', deletedAt: null }]);
    expect(report.accessLog).toMatchObject([{ actor: 'staff:rev-1', role: 'reviewer', action: 'image.viewed', purpose: 'review' }]);
    expect(w.log.actions().at(-1)).toBe('access-report.exported');
    expect(w.log.entries.at(-1)).toMatchObject({ actor: OFFICER, subjectId: 's1', details: { language: 'en' } });
  });

  it('reads no passport of an erased subject and says it was destroyed, in the subject\'s language by default', async () => {
    const w = await world();
    const report = await w.reports.build(subjectRecord({ id: 's1', status: 'erased', language: 'ru' }), undefined, OFFICER);
    expect(report.language).toBe('ru');
    expect(report.categories[0]!.items).toEqual([{ pensionNumber: 'PN-s1', passport: report.text.destroyed }]);
    expect(w.passportReads).toEqual([]);
  });
});
