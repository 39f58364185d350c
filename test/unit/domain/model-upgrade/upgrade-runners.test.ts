import { beforeEach, describe, expect, it } from 'vitest';
import { UpgradeDispatcher } from '../../../../src/domain/model-upgrade/upgrade-dispatcher.js';
import { UpgradeFanOutRunner } from '../../../../src/domain/model-upgrade/upgrade-fanout.runner.js';
import { UpgradeTicker } from '../../../../src/domain/model-upgrade/upgrade-ticker.js';
import { inMemoryModelUpgrade, type InMemoryModelUpgrade } from '../../../support/in-memory/model-upgrade.js';

const TARGET = { model: 'faceapi-frnet-128', version: '1.7.15' };

let world: InMemoryModelUpgrade;
let dispatcher: UpgradeDispatcher;
let fanOut: UpgradeFanOutRunner;
let ticker: UpgradeTicker;

/** A running batch towards TARGET, as ModelUpgradeService.start leaves it. */
async function openBatch(id = 'b-1'): Promise<string> {
  await world.ports.modelUpgrades.insertBatch({ id, target: TARGET, supersededGraceDays: 30, createdAt: world.clock.now(), createdBy: 'test' });
  return id;
}

const pending = (batchId: string) => world.ports.modelUpgrades.subjects(batchId, { state: 'pending', after: null, limit: 100 });

beforeEach(() => {
  world = inMemoryModelUpgrade();
  const { uow, audit, clock, queue } = world;
  dispatcher = new UpgradeDispatcher({ uow, queue, clock, settings: { maxQueued: 3 } });
  fanOut = new UpgradeFanOutRunner({ uow, audit, clock, dispatcher, settings: { pageSize: 2 } });
  ticker = new UpgradeTicker({ uow, audit, clock, queue, dispatcher });
  for (let i = 1; i <= 5; i++) world.enrol(`s-${i}`, [{ source: 'selfie', image: 'face' }]);
});

describe('the fan-out', () => {
  it('adds every subject needing new references as pending, page by page, and counts them', async () => {
    world.enrol('s-6', [{ source: 'selfie', image: 'face', ...TARGET }]); // already upgraded
    world.enrol('s-7', [{ source: 'selfie', image: 'face' }], { status: 'closed' });
    world.enrol('s-8', [{ source: 'selfie', image: 'face' }], { reenrolment: { requiredAt: world.clock.now(), reason: 'earlier batch' } });
    world.enrol('s-9', [{ source: 'selfie', image: 'face', status: 'withdrawn' }]);
    const id = await openBatch();
    const pages: number[] = [];
    expect(await fanOut.run(id, { onPage: (p) => void pages.push(p.queued) })).toBe('done');
    expect(pages).toEqual([2, 4, 5]);
    const batch = (await world.ports.modelUpgrades.findById(id))!;
    expect(batch.counts.queued).toBe(5);
    expect(batch.fanoutDoneAt).toEqual(world.clock.now());
    expect((await pending(id)).map((s) => s.subjectId)).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5']);
    expect(await fanOut.run(id)).toBe('already-done');
  });

  it('stops at a page boundary when the worker shuts down, and a later run carries on after the last page', async () => {
    const id = await openBatch();
    let pagesLeft = 1;
    expect(await fanOut.run(id, { shouldStop: () => pagesLeft-- <= 0 })).toBe('stopped');
    expect((await world.ports.modelUpgrades.findById(id))!).toMatchObject({ cursor: 's-2', counts: { queued: 2 }, fanoutDoneAt: null });
    expect(await fanOut.run(id)).toBe('done');
    expect((await world.ports.modelUpgrades.findById(id))!.counts.queued).toBe(5);
  });

  it('does nothing for a paused batch or one that does not exist', async () => {
    const id = await openBatch();
    await world.ports.modelUpgrades.changeState(id, ['running'], 'paused', world.clock.now());
    expect(await fanOut.run(id)).toBe('not-running');
    expect(await fanOut.run('nope')).toBe('missing');
    expect(await pending(id)).toEqual([]);
  });

  it('completes a batch whose cohort is empty at once, audited once', async () => {
    world = inMemoryModelUpgrade();
    const { uow, audit, clock, queue } = world;
    fanOut = new UpgradeFanOutRunner({ uow, audit, clock, dispatcher: new UpgradeDispatcher({ uow, queue, clock, settings: { maxQueued: 3 } }), settings: { pageSize: 2 } });
    const id = await openBatch();
    expect(await fanOut.run(id)).toBe('done');
    expect((await world.ports.modelUpgrades.findById(id))!.state).toBe('completed');
    expect(world.ports.audit.actions()).toEqual(['model-upgrade.completed']);
  });
});

describe('the dispatcher', () => {
  it('never lets more than maxQueued subject jobs wait in the queue; the rest wait as pending rows', async () => {
    const id = await openBatch();
    await fanOut.run(id);
    expect(world.queue.jobs.size).toBe(3);
    expect(await dispatcher.dispatch(id)).toBe(0);
    world.queue.jobs.delete(`${id}/s-1`); // one job finished
    expect(await dispatcher.dispatch(id)).toBe(1);
    expect([...world.queue.jobs].sort()).toEqual([`${id}/s-2`, `${id}/s-3`, `${id}/s-4`]);
    world.queue.drain();
    expect(await dispatcher.dispatch(id)).toBe(1);
    expect(await dispatcher.dispatch(id)).toBe(0);
  });

  it('puts back subjects whose jobs Redis lost, but only when no subject job is left in the queue', async () => {
    const id = await openBatch();
    await fanOut.run(id);
    expect(await dispatcher.recover(id)).toBe(0);
    world.queue.drain(); // Redis lost them: the rows say enqueued, the queue is empty
    expect(await dispatcher.recover(id)).toBe(3);
    expect(world.queue.jobs.size).toBe(3);
  });
});

describe('the tick', () => {
  it('re-enqueues an unfinished fan-out and lost subject jobs of the running batch', async () => {
    const id = await openBatch();
    await fanOut.run(id, { shouldStop: () => true });
    world.queue.fanOuts.clear();
    expect(await ticker.tick()).toEqual({ batchId: id, requeued: 0 });
    expect(world.queue.fanOuts).toEqual(new Set([id]));
  });

  it('leaves a paused batch alone and finds nothing to do without a batch', async () => {
    expect(await ticker.tick()).toEqual({ batchId: null, requeued: 0 });
    const id = await openBatch();
    await world.ports.modelUpgrades.changeState(id, ['running'], 'paused', world.clock.now());
    expect(await ticker.tick()).toEqual({ batchId: null, requeued: 0 });
    expect(world.queue.fanOuts.size).toBe(0);
  });

  it('completes a drained batch once, however many ticks see it', async () => {
    const id = await openBatch();
    await fanOut.run(id);
    for (const subjectId of ['s-1', 's-2', 's-3', 's-4', 's-5']) {
      await world.ports.modelUpgrades.finishSubject(id, subjectId, { outcome: 'skipped', reason: 'TEST', templates: 0, at: world.clock.now() });
    }
    await ticker.tick();
    await ticker.tick();
    expect((await world.ports.modelUpgrades.findById(id))!.state).toBe('completed');
    expect(world.ports.audit.actions()).toEqual(['model-upgrade.completed']);
    expect(world.ports.audit.entries[0]!.details).toMatchObject({ queued: 5, skipped: 5 });
  });
});
