import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/domain/audit/audit-entry.js';
import { ModelUpgradeService } from '../../../../src/domain/model-upgrade/model-upgrade.service.js';
import { UpgradeDispatcher } from '../../../../src/domain/model-upgrade/upgrade-dispatcher.js';
import { inMemoryModelUpgrade, OLD_MODEL, type InMemoryModelUpgrade } from '../../../support/in-memory/model-upgrade.js';

const TARGET = { model: 'faceapi-frnet-128', version: '1.7.15' };
const OPERATOR: Actor = { type: 'staff', id: 'op-1', role: 'operator' };

let world: InMemoryModelUpgrade;
let service: ModelUpgradeService;
let enqueueErrors: unknown[];

beforeEach(() => {
  world = inMemoryModelUpgrade();
  enqueueErrors = [];
  const { uow, audit, clock, queue } = world;
  service = new ModelUpgradeService({
    uow, audit, clock, queue,
    dispatcher: new UpgradeDispatcher({ uow, queue, clock, settings: { maxQueued: 10 } }),
    engines: { versionOf: (model) => (model === TARGET.model ? TARGET.version : model === OLD_MODEL.model ? OLD_MODEL.version : null) },
    settings: { supersededGraceDays: 30 },
    onEnqueueError: (error) => enqueueErrors.push(error),
  });
});

describe('starting a batch', () => {
  it('runs towards the installed version of the model, records who started it and hands the fan-out to the queue', async () => {
    const batch = await service.start({ targetModel: TARGET.model }, OPERATOR);
    expect(batch).toMatchObject({ state: 'running', target: TARGET, supersededGraceDays: 30, createdBy: 'staff:op-1(operator)', fanoutDoneAt: null });
    expect(world.queue.fanOuts).toEqual(new Set([batch.id]));
    expect(world.ports.audit.entries).toMatchObject([
      { action: 'model-upgrade.started', actor: OPERATOR, targetId: batch.id, details: { model: TARGET.model, version: TARGET.version, supersededGraceDays: 30 } },
    ]);
  });

  it('refuses a model the workers cannot build, and a grace period outside 0 to 365 whole days', async () => {
    await expect(service.start({ targetModel: 'arcface-512' }, OPERATOR)).rejects.toMatchObject({ code: 'UNKNOWN_MODEL', status: 400 });
    for (const days of [-1, 366, 2.5]) {
      await expect(service.start({ targetModel: TARGET.model, supersededGraceDays: days }, OPERATOR)).rejects.toMatchObject({ code: 'INVALID_GRACE_PERIOD' });
    }
    expect(world.ports.modelUpgrades.batches.size).toBe(0);
    expect(world.ports.audit.entries).toEqual([]);
  });

  it('refuses a second batch while one is running or paused, naming the open one; after it is cancelled a new one may start', async () => {
    const first = await service.start({ targetModel: TARGET.model }, OPERATOR);
    await expect(service.start({ targetModel: TARGET.model }, OPERATOR)).rejects.toMatchObject({ code: 'MODEL_UPGRADE_OPEN', status: 409, details: { batchId: first.id } });
    await service.pause(first.id, OPERATOR);
    await expect(service.start({ targetModel: OLD_MODEL.model }, OPERATOR)).rejects.toMatchObject({ code: 'MODEL_UPGRADE_OPEN' });
    await service.cancel(first.id, 'wrong model', OPERATOR);
    await expect(service.start({ targetModel: OLD_MODEL.model, supersededGraceDays: 0 }, OPERATOR)).resolves.toMatchObject({ state: 'running', supersededGraceDays: 0 });
  });

  it('keeps the batch when the queue cannot be reached, leaving the fan-out to the workers\' tick', async () => {
    world.queue.down = true;
    const batch = await service.start({ targetModel: TARGET.model }, OPERATOR);
    expect(batch.state).toBe('running');
    expect(enqueueErrors).toHaveLength(1);
    expect(await service.get(batch.id)).toMatchObject({ state: 'running' });
  });
});

describe('pausing, resuming and cancelling', () => {
  it('moves running → paused → running → cancelled, each step audited with the counts', async () => {
    const { id } = await service.start({ targetModel: TARGET.model }, OPERATOR);
    world.clock.advanceDays(1);
    expect(await service.pause(id, OPERATOR)).toMatchObject({ state: 'paused', pausedAt: world.clock.now() });
    expect(await service.resume(id, OPERATOR)).toMatchObject({ state: 'running', pausedAt: null });
    expect(await service.cancel(id, 'budget', OPERATOR)).toMatchObject({ state: 'cancelled', cancelReason: 'budget', finishedAt: world.clock.now() });
    expect(world.ports.audit.actions()).toEqual(['model-upgrade.started', 'model-upgrade.paused', 'model-upgrade.resumed', 'model-upgrade.cancelled']);
    expect(world.ports.audit.entries.at(-1)!.details).toMatchObject({ model: TARGET.model, queued: 0, reExtracted: 0 });
  });

  it('refuses a step the batch\'s state does not allow, saying which state it is in, and records nothing', async () => {
    const { id } = await service.start({ targetModel: TARGET.model }, OPERATOR);
    await expect(service.resume(id, OPERATOR)).rejects.toMatchObject({ code: 'MODEL_UPGRADE_NOT_PAUSED', status: 409, details: { state: 'running' } });
    await service.cancel(id, 'stop', OPERATOR);
    await expect(service.pause(id, OPERATOR)).rejects.toMatchObject({ code: 'MODEL_UPGRADE_NOT_RUNNING', details: { state: 'cancelled' } });
    await expect(service.cancel(id, 'again', OPERATOR)).rejects.toMatchObject({ code: 'MODEL_UPGRADE_FINISHED' });
    await expect(service.pause('no-such-batch', OPERATOR)).rejects.toMatchObject({ code: 'MODEL_UPGRADE_NOT_FOUND', status: 404 });
    expect(world.ports.audit.actions()).toEqual(['model-upgrade.started', 'model-upgrade.cancelled']);
  });

  it('on resume puts the subjects whose jobs found the batch paused back on the queue', async () => {
    world.enrol('s-1', [{ source: 'selfie', image: 'face' }]);
    const { id } = await service.start({ targetModel: TARGET.model }, OPERATOR);
    await world.ports.modelUpgrades.insertPending(id, ['s-1'], world.clock.now());
    await world.ports.modelUpgrades.markEnqueued(id, ['s-1'], world.clock.now());
    await service.pause(id, OPERATOR);
    world.queue.drain(); // the job ran while paused and left the subject pending
    await service.resume(id, OPERATOR);
    expect([...world.queue.jobs]).toEqual([`${id}/s-1`]);
  });
});

describe('reading batches', () => {
  it('reports progress and lists the subjects with their pension numbers; an unknown batch is not found', async () => {
    world.enrol('s-1', [{ source: 'selfie', image: 'face' }]);
    world.enrol('s-2', [{ source: 'selfie', image: 'face' }]);
    const { id } = await service.start({ targetModel: TARGET.model }, OPERATOR);
    await world.ports.modelUpgrades.insertPending(id, ['s-1', 's-2'], world.clock.now());
    await world.ports.modelUpgrades.advance(id, null, 's-2', 2);
    await world.ports.modelUpgrades.finishSubject(id, 's-1', { outcome: 'skipped', reason: 'CONSENT_NOT_COVERED', templates: 0, at: world.clock.now() });
    expect(await service.progress(id)).toMatchObject({ done: 1, pending: 1, percentDone: 50, totalKnown: false });
    expect(await service.subjects(id, { state: 'pending', after: null, limit: 10 })).toEqual([
      { subjectId: 's-2', pensionNumber: 'PN-s-2', state: 'pending', reason: null, templates: 0, finishedAt: null },
    ]);
    await expect(service.subjects('nope', { after: null, limit: 10 })).rejects.toMatchObject({ code: 'MODEL_UPGRADE_NOT_FOUND' });
  });
});
