import { describe, expect, it } from 'vitest';
import { PolicyReconciler } from '../../../../src/domain/retention/policy-reconciler.js';
import { retentionHarness, storedItem } from '../../../support/in-memory/retention.js';

const DAY = 86_400_000;
const decided = new Date('2026-11-20T00:00:00Z');
const days = (n: number) => new Date(decided.getTime() + n * DAY);

/** Images decided on 20 November under a 30-day policy, one on an event policy, and a 5-year result. */
async function heldData() {
  const h = retentionHarness();
  await h.items.insert(storedItem({ id: 'a-selfie', policy: 'images-30d-after-decision', deleteAt: days(30) }));
  await h.items.insert(storedItem({ id: 'b-withdrawn', policy: 'consent-withdrawn', deleteAt: days(2) }));
  await h.items.insert(storedItem({ id: 'c-result', itemClass: 'result', policy: 'results-1825d', deleteAt: days(1825) }));
  for (const id of ['a-selfie', 'b-withdrawn', 'c-result']) h.items.anchors.set(id, decided);
  return { ...h, reconciler: new PolicyReconciler({ uow: h.uow, audit: h.audit, clock: h.clock }) };
}

describe('applying a changed retention policy to data already held', () => {
  it('moves a deadline earlier at once, silently, and leaves event policies alone', async () => {
    const w = await heldData();
    const report = await w.reconciler.reconcile({ imagesDays: 7, resultsDays: 1825 });
    expect(report).toMatchObject({ examined: 3, shortened: 1, extended: 0, keptPromise: 0, changedItemIds: ['a-selfie'] });
    expect(await w.items.findById('a-selfie')).toMatchObject({ deleteAt: days(7), policy: 'images-7d-after-decision' });
    expect(await w.items.findById('b-withdrawn')).toMatchObject({ deleteAt: days(2), policy: 'consent-withdrawn' });
    expect(w.items.changes).toEqual([]);
    expect(w.log.entries).toEqual([]);
  });

  it('never moves a deadline later without a reason: the promised date is kept', async () => {
    const w = await heldData();
    const report = await w.reconciler.reconcile({ imagesDays: 90, resultsDays: 3650 });
    expect(report).toMatchObject({ shortened: 0, extended: 0, keptPromise: 2, changedItemIds: [] });
    expect(await w.items.findById('a-selfie')).toMatchObject({ deleteAt: days(30), policy: 'images-30d-after-decision' });
    expect(await w.items.findById('c-result')).toMatchObject({ deleteAt: days(1825), policy: 'results-1825d' });
    expect(w.log.entries).toEqual([]);
  });

  it('extends only with a recorded reason, each change kept and audited', async () => {
    const w = await heldData();
    const report = await w.reconciler.reconcile({ imagesDays: 90, resultsDays: 1825 }, 'court order 7/2026');
    expect(report).toMatchObject({ shortened: 0, extended: 1, keptPromise: 0, changedItemIds: ['a-selfie'] });
    expect(await w.items.findById('a-selfie')).toMatchObject({ deleteAt: days(90), policy: 'images-90d-after-decision' });
    expect(w.items.changes).toMatchObject([{ itemId: 'a-selfie', oldDeleteAt: days(30), newDeleteAt: days(90), reason: 'court order 7/2026' }]);
    expect(w.log.entries).toMatchObject([{
      action: 'retention.extended', subjectId: 's1', targetId: 'a-selfie',
      details: { oldPolicy: 'images-30d-after-decision', newPolicy: 'images-90d-after-decision', reason: 'court order 7/2026' },
    }]);
  });
});
