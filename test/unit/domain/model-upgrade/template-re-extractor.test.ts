import { beforeEach, describe, expect, it } from 'vitest';
import type { ScopeNeed } from '../../../../src/domain/consent/consent.js';
import type { TargetEngines } from '../../../../src/domain/model-upgrade/model-upgrade-ports.js';
import { TemplateReExtractor } from '../../../../src/domain/model-upgrade/template-re-extractor.js';
import { SUPERSEDED_TEMPLATE_POLICY } from '../../../../src/domain/retention/retention-policy.js';
import { DAY_MS } from '../../../../src/shared/clock.js';
import {
  inMemoryModelUpgrade, passThroughOps, stubEngine, type InMemoryModelUpgrade, type SeedReference,
} from '../../../support/in-memory/model-upgrade.js';

const TARGET = { model: 'faceapi-frnet-128', version: '1.7.15' };
const BATCH = 'b-1';

let world: InMemoryModelUpgrade;
let engines: Pick<TargetEngines, 'engineFor'>;
let withoutConsent: Set<string>;
let scheduled: string[];

function reExtractor(): TemplateReExtractor {
  const { uow, audit, clock, vault } = world;
  return new TemplateReExtractor({
    uow, audit, clock, vault, engines, ops: passThroughOps, selfieRules: { minFacePx: 80, rivalAreaRatio: 0.35 },
    retention: { imagesDays: 30, resultsDays: 365 },
    consents: { isCovered: async (subjectId: string, _needs: readonly ScopeNeed[]) => !withoutConsent.has(subjectId) },
    timers: { scheduleSubject: async (subjectId) => void scheduled.push(subjectId) },
  });
}

/** Enrols the subjects and puts them in a running batch whose fan-out is done. */
async function batchOf(people: Record<string, readonly SeedReference[]>): Promise<void> {
  for (const [id, refs] of Object.entries(people)) world.enrol(id, refs);
  const repo = world.ports.modelUpgrades;
  await repo.insertBatch({ id: BATCH, target: TARGET, supersededGraceDays: 30, createdAt: world.clock.now(), createdBy: 'test' });
  const ids = Object.keys(people);
  await repo.advance(BATCH, null, ids.at(-1)!, await repo.insertPending(BATCH, ids, world.clock.now()));
  await repo.finishFanOut(BATCH, world.clock.now());
}

const templatesOf = (subjectId: string) => world.ports.templates.of(subjectId).map((t) => ({ model: t.model, source: t.source, status: t.status }));
const auditOf = (subjectId: string) => world.ports.audit.entries.filter((e) => e.subjectId === subjectId).map((e) => e.action);

beforeEach(() => {
  world = inMemoryModelUpgrade();
  engines = { engineFor: async () => stubEngine(TARGET) };
  withoutConsent = new Set();
  scheduled = [];
});

describe('one subject of a batch', () => {
  it('gets a new reference of the target model from each retained image; the old ones are superseded, kept for the grace period', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }, { source: 'document', image: 'face', status: 'active' }] });
    world.clock.advanceDays(2);
    expect(await reExtractor().reExtract(BATCH, 's-1')).toEqual({ status: 'recorded', outcome: 're_extracted', reason: null });
    expect(templatesOf('s-1')).toEqual([
      { model: 'human-faceapi-frnet-5pt', source: 'selfie', status: 'superseded' },
      { model: 'human-faceapi-frnet-5pt', source: 'document', status: 'superseded' },
      { model: TARGET.model, source: 'selfie', status: 'active' },
      { model: TARGET.model, source: 'document', status: 'active' },
    ]);
    const refs = world.ports.items.rows.filter((i) => i.itemClass === 'reference_template');
    const [oldSelfie, , newSelfie] = refs;
    // The new reference keeps the old one's deadline; the old embedding goes after the grace period.
    expect(newSelfie!.deleteAt).toEqual(new Date(world.clock.now().getTime() - 2 * DAY_MS + 400 * DAY_MS));
    expect(oldSelfie).toMatchObject({ policy: SUPERSEDED_TEMPLATE_POLICY, deleteAt: new Date(world.clock.now().getTime() + 30 * DAY_MS) });
    expect(auditOf('s-1')).toEqual(['image.read', 'image.read', 'template.re-extracted', 'template.re-extracted']);
    expect(scheduled).toEqual(['s-1']);
  });

  it('keeps a new reference pending review when the one it replaces was awaiting review', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face', status: 'pending_review' }] });
    await reExtractor().reExtract(BATCH, 's-1');
    expect(templatesOf('s-1')).toContainEqual({ model: TARGET.model, source: 'selfie', status: 'pending_review' });
  });

  it('is marked for re-enrolment when retention has deleted every image its references came from', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: null }] });
    expect(await reExtractor().reExtract(BATCH, 's-1')).toEqual({ status: 'recorded', outcome: 'marked_for_reenrolment', reason: 'REFERENCE_IMAGES_DELETED' });
    expect((await world.ports.subjects.findById('s-1'))!.reenrolment).toEqual({ requiredAt: world.clock.now(), reason: 'REFERENCE_IMAGES_DELETED' });
    expect(templatesOf('s-1')).toEqual([{ model: 'human-faceapi-frnet-5pt', source: 'selfie', status: 'active' }]);
    expect(auditOf('s-1')).toEqual(['subject.reenrolment-required']);
    expect(scheduled).toEqual([]);
  });

  it('fails, and must enrol again, when the new model finds no usable face in the images that are left', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'no face here' }] });
    expect(await reExtractor().reExtract(BATCH, 's-1')).toMatchObject({ status: 'recorded', outcome: 'failed', reason: 'SELFIE_NO_FACE' });
    expect((await world.ports.subjects.findById('s-1'))!.reenrolment?.reason).toBe('SELFIE_NO_FACE');
    expect(world.ports.audit.entries.filter((e) => e.subjectId === 's-1').at(-1)).toMatchObject({ action: 'subject.reenrolment-required', outcome: 'failure' });
  });

  it('counts as re-extracted when one reference carried over and another image was unreadable', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }, { source: 'document', image: 'face' }] });
    world.vault.unreadable.add('blob-2');
    expect(await reExtractor().reExtract(BATCH, 's-1')).toEqual({ status: 'recorded', outcome: 're_extracted', reason: 'DATA_UNREADABLE' });
    expect((await world.ports.subjects.findById('s-1'))!.reenrolment).toBeNull();
  });

  it('is skipped, its templates untouched, without consent to biometric processing or to keeping a template', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }] });
    withoutConsent.add('s-1');
    expect(await reExtractor().reExtract(BATCH, 's-1')).toEqual({ status: 'recorded', outcome: 'skipped', reason: 'CONSENT_NOT_COVERED' });
    expect(templatesOf('s-1')).toEqual([{ model: 'human-faceapi-frnet-5pt', source: 'selfie', status: 'active' }]);
    expect(auditOf('s-1')).toEqual([]);
  });

  it('is skipped when the subject closed their file after the fan-out found them', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }] });
    world.ports.subjects.rows.set('s-1', { ...world.ports.subjects.rows.get('s-1')!, status: 'closed' });
    expect(await reExtractor().reExtract(BATCH, 's-1')).toMatchObject({ outcome: 'skipped', reason: 'SUBJECT_NOT_ACTIVE' });
  });

  it('is recorded once when its job runs twice, and a subject outside the batch is missing', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }], 's-2': [{ source: 'selfie', image: 'face' }] });
    const worker = reExtractor();
    await worker.reExtract(BATCH, 's-1');
    expect(await worker.reExtract(BATCH, 's-1')).toEqual({ status: 'already-done' });
    expect(await worker.reExtract(BATCH, 's-9')).toEqual({ status: 'missing' });
    expect((await world.ports.modelUpgrades.findById(BATCH))!.counts).toMatchObject({ reExtracted: 1, queued: 2 });
    expect(world.ports.templates.of('s-1').filter((t) => t.model === TARGET.model)).toHaveLength(1);
  });

  it('after retries are spent is recorded as failed without a re-enrolment request', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }] });
    expect(await reExtractor().failPermanently(BATCH, 's-1', 'ENGINE_CRASHED')).toBe(true);
    expect(await world.ports.modelUpgrades.subjects(BATCH, { after: null, limit: 10 })).toMatchObject([{ state: 'failed', reason: 'ENGINE_CRASHED' }]);
    expect((await world.ports.subjects.findById('s-1'))!.reenrolment).toBeNull();
  });
});

describe('the batch around the subjects', () => {
  it('is left alone while paused: the subject stays pending for the resume', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }] });
    await world.ports.modelUpgrades.changeState(BATCH, ['running'], 'paused', world.clock.now());
    expect(await reExtractor().reExtract(BATCH, 's-1')).toEqual({ status: 'not-running' });
    expect(await world.ports.modelUpgrades.subjectState(BATCH, 's-1')).toBe('pending');
  });

  it('is paused with the reason when the workers run another version of the model, writing nothing', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }] });
    engines = { engineFor: async () => stubEngine({ model: TARGET.model, version: '2.0.0' }) };
    expect(await reExtractor().reExtract(BATCH, 's-1')).toEqual({ status: 'engine-mismatch' });
    const batch = (await world.ports.modelUpgrades.findById(BATCH))!;
    expect(batch).toMatchObject({ state: 'paused', lastError: `ENGINE_VERSION_MISMATCH: workers run ${TARGET.model} 2.0.0` });
    expect(world.ports.audit.entries).toMatchObject([{ action: 'model-upgrade.paused', outcome: 'failure', details: { reason: 'ENGINE_VERSION_MISMATCH' } }]);
    expect(await world.ports.modelUpgrades.subjectState(BATCH, 's-1')).toBe('pending');
  });

  it('is paused when the target model will not load', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }] });
    engines = { engineFor: async () => { throw new Error('checksum mismatch'); } };
    expect(await reExtractor().reExtract(BATCH, 's-1')).toEqual({ status: 'engine-unavailable' });
    expect((await world.ports.modelUpgrades.findById(BATCH))!).toMatchObject({ state: 'paused', lastError: 'ENGINE_UNAVAILABLE: checksum mismatch' });
  });

  it('completes when its last subject is recorded, with the counts of each outcome', async () => {
    await batchOf({ 's-1': [{ source: 'selfie', image: 'face' }], 's-2': [{ source: 'selfie', image: null }], 's-3': [{ source: 'selfie', image: 'face' }] });
    withoutConsent.add('s-3');
    const worker = reExtractor();
    await worker.reExtract(BATCH, 's-1');
    await worker.reExtract(BATCH, 's-2');
    expect((await world.ports.modelUpgrades.findById(BATCH))!.state).toBe('running');
    await worker.reExtract(BATCH, 's-3');
    const batch = (await world.ports.modelUpgrades.findById(BATCH))!;
    expect(batch).toMatchObject({ state: 'completed', finishedAt: world.clock.now(), counts: { queued: 3, reExtracted: 1, markedForReenrolment: 1, skipped: 1, failed: 0 } });
    expect(world.ports.audit.actions().filter((a) => a === 'model-upgrade.completed')).toHaveLength(1);
  });
});
