import { AuditService } from '../../../src/domain/audit/audit.service.js';
import type { FaceEngine } from '../../../src/engine/face-engine.js';
import { DAY_MS } from '../../../src/shared/clock.js';
import { AppError } from '../../../src/shared/errors.js';
import type {
  BatchState, ModelTarget, ModelUpgradeBatch, SubjectOutcome, SubjectState, UpgradeSubjectRow,
} from '../../../src/domain/model-upgrade/model-upgrade.js';
import type {
  ModelUpgradeQueue, ModelUpgradeRepository, NewBatch, SubjectFinish,
} from '../../../src/domain/model-upgrade/model-upgrade-ports.js';
import type { BiometricVault } from '../../../src/domain/subjects/biometric-vault.js';
import type { Subject } from '../../../src/domain/subjects/subject.js';
import type { SubjectRepository } from '../../../src/domain/subjects/subject-ports.js';
import type { ImageOps } from '../../../src/domain/verification/face-analysis.js';
import type { StoredTemplate, TemplateStatus } from '../../../src/domain/verification/template.js';
import type { TemplateRepository } from '../../../src/domain/verification/verification-ports.js';
import { MutableClock } from '../mutable-clock.js';
import { InMemoryAuditLog } from './audit.js';
import { InMemoryLegalHolds, InMemoryStoredItems } from './retention.js';
import { inMemoryUnitOfWork } from './unit-of-work.js';

const USABLE: readonly TemplateStatus[] = ['active', 'pending_review'];

export class InMemorySubjects implements Pick<SubjectRepository, 'findById' | 'markReenrolmentRequired'> {
  readonly rows = new Map<string, Subject>();

  async findById(id: string): Promise<Subject | null> {
    return this.rows.get(id) ?? null;
  }

  async markReenrolmentRequired(id: string, at: Date, reason: string): Promise<void> {
    const s = this.rows.get(id);
    if (s && !s.reenrolment) this.rows.set(id, { ...s, reenrolment: { requiredAt: at, reason } });
  }
}

export class InMemoryTemplates implements Pick<TemplateRepository, 'findUsable' | 'insert' | 'supersede' | 'withdrawAll'> {
  readonly rows: StoredTemplate[] = [];

  async insert(t: StoredTemplate): Promise<boolean> {
    if (this.rows.some((r) => r.submissionId === t.submissionId && r.source === t.source && r.model === t.model && r.modelVersion === t.modelVersion)) return false;
    this.rows.push(t);
    return true;
  }

  async findUsable(subjectId: string): Promise<StoredTemplate[]> {
    return this.rows.filter((t) => t.subjectId === subjectId && USABLE.includes(t.status)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async supersede(id: string, from: TemplateStatus): Promise<boolean> {
    const i = this.rows.findIndex((t) => t.id === id && t.status === from);
    if (i < 0) return false;
    this.rows[i] = { ...this.rows[i]!, status: 'superseded' };
    return true;
  }

  async withdrawAll(subjectId: string): Promise<number> {
    const live = this.rows.flatMap((t, i) => (t.subjectId === subjectId && t.status !== 'withdrawn' ? [i] : []));
    for (const i of live) this.rows[i] = { ...this.rows[i]!, status: 'withdrawn' };
    return live.length;
  }

  of(subjectId: string): StoredTemplate[] {
    return this.rows.filter((t) => t.subjectId === subjectId);
  }
}

interface SubjectRow {
  state: SubjectState;
  reason: string | null;
  templates: number;
  finishedAt: Date | null;
  enqueuedAt: Date | null;
}

const COUNTER: Readonly<Record<SubjectOutcome, keyof ModelUpgradeBatch['counts']>> = {
  re_extracted: 'reExtracted', marked_for_reenrolment: 'markedForReenrolment', failed: 'failed', skipped: 'skipped',
};

/** Batches and their subjects; the cohort is read from the subjects and templates given. */
export class InMemoryModelUpgrades implements ModelUpgradeRepository {
  readonly batches = new Map<string, ModelUpgradeBatch>();
  /** Per batch, per subject id. */
  readonly members = new Map<string, Map<string, SubjectRow>>();

  constructor(private readonly subjectRows: InMemorySubjects, private readonly templateRows: InMemoryTemplates) {}

  async insertBatch(b: NewBatch): Promise<boolean> {
    if ([...this.batches.values()].some((x) => x.state === 'running' || x.state === 'paused')) return false;
    this.batches.set(b.id, {
      ...b, state: 'running', cursor: null, fanoutDoneAt: null, counts: { queued: 0, reExtracted: 0, markedForReenrolment: 0, failed: 0, skipped: 0 },
      pausedAt: null, finishedAt: null, cancelReason: null, lastError: null,
    });
    this.members.set(b.id, new Map());
    return true;
  }

  async findById(id: string): Promise<ModelUpgradeBatch | null> {
    return this.batches.get(id) ?? null;
  }

  async findOpen(): Promise<ModelUpgradeBatch | null> {
    return [...this.batches.values()].find((b) => b.state === 'running' || b.state === 'paused') ?? null;
  }

  async list(limit: number): Promise<ModelUpgradeBatch[]> {
    return [...this.batches.values()].reverse().slice(0, limit);
  }

  async changeState(id: string, from: readonly BatchState[], to: BatchState, at: Date, extra: { cancelReason?: string; lastError?: string } = {}) {
    const b = this.batches.get(id);
    if (!b || !from.includes(b.state)) return null;
    return this.put({
      ...b, state: to, pausedAt: to === 'paused' ? at : null,
      finishedAt: to === 'completed' || to === 'cancelled' ? at : b.finishedAt,
      cancelReason: extra.cancelReason ?? b.cancelReason,
      lastError: to === 'running' ? null : extra.lastError ?? b.lastError,
    });
  }

  async cohortPage(target: ModelTarget, cursor: string | null, limit: number): Promise<string[]> {
    const isTarget = (t: StoredTemplate) => t.model === target.model && t.modelVersion === target.version;
    return [...this.subjectRows.rows.values()]
      .filter((s) => s.status === 'active' && !s.reenrolment && (cursor === null || s.id > cursor))
      .filter((s) => {
        const usable = this.templateRows.of(s.id).filter((t) => USABLE.includes(t.status));
        return usable.some((t) => !isTarget(t)) && !usable.some(isTarget);
      })
      .map((s) => s.id).sort().slice(0, limit);
  }

  async insertPending(batchId: string, subjectIds: readonly string[], _at: Date): Promise<number> {
    const rows = this.members.get(batchId)!;
    const fresh = subjectIds.filter((id) => !rows.has(id));
    for (const id of fresh) rows.set(id, { state: 'pending', reason: null, templates: 0, finishedAt: null, enqueuedAt: null });
    return fresh.length;
  }

  async advance(batchId: string, from: string | null, to: string, queued: number): Promise<boolean> {
    const b = this.batches.get(batchId);
    if (!b || b.cursor !== from || b.fanoutDoneAt) return false;
    this.put({ ...b, cursor: to, counts: { ...b.counts, queued: b.counts.queued + queued } });
    return true;
  }

  async finishFanOut(batchId: string, at: Date): Promise<void> {
    const b = this.batches.get(batchId)!;
    this.put({ ...b, fanoutDoneAt: b.fanoutDoneAt ?? at });
  }

  async undispatched(batchId: string, limit: number): Promise<string[]> {
    return this.ids(batchId, (r) => r.state === 'pending' && r.enqueuedAt === null).slice(0, limit);
  }

  async markEnqueued(batchId: string, subjectIds: readonly string[], at: Date): Promise<void> {
    for (const id of subjectIds) {
      const r = this.members.get(batchId)?.get(id);
      if (r?.state === 'pending') r.enqueuedAt = at;
    }
  }

  async resetEnqueued(batchId: string): Promise<number> {
    const ids = this.ids(batchId, (r) => r.state === 'pending' && r.enqueuedAt !== null);
    for (const id of ids) this.members.get(batchId)!.get(id)!.enqueuedAt = null;
    return ids.length;
  }

  async subjectState(batchId: string, subjectId: string): Promise<SubjectState | null> {
    return this.members.get(batchId)?.get(subjectId)?.state ?? null;
  }

  async finishSubject(batchId: string, subjectId: string, f: SubjectFinish): Promise<boolean> {
    const r = this.members.get(batchId)?.get(subjectId);
    if (r?.state !== 'pending') return false;
    Object.assign(r, { state: f.outcome, reason: f.reason, templates: f.templates, finishedAt: f.at });
    const b = this.batches.get(batchId)!;
    const counter = COUNTER[f.outcome];
    this.put({ ...b, counts: { ...b.counts, [counter]: b.counts[counter] + 1 } });
    return true;
  }

  async completeIfDrained(batchId: string, at: Date): Promise<ModelUpgradeBatch | null> {
    const b = this.batches.get(batchId);
    if (!b || b.state !== 'running' || !b.fanoutDoneAt || this.ids(batchId, (r) => r.state === 'pending').length) return null;
    return this.put({ ...b, state: 'completed', finishedAt: at });
  }

  async subjects(batchId: string, q: { state?: SubjectState; after: string | null; limit: number }): Promise<UpgradeSubjectRow[]> {
    const rows = this.members.get(batchId) ?? new Map<string, SubjectRow>();
    return this.ids(batchId, (r) => !q.state || r.state === q.state)
      .filter((id) => q.after === null || id > q.after).slice(0, q.limit)
      .map((id) => {
        const r = rows.get(id)!;
        return { subjectId: id, pensionNumber: this.subjectRows.rows.get(id)?.ref ?? '', state: r.state, reason: r.reason, templates: r.templates, finishedAt: r.finishedAt };
      });
  }

  private ids(batchId: string, keep: (r: SubjectRow) => boolean): string[] {
    return [...(this.members.get(batchId) ?? new Map<string, SubjectRow>()).entries()].filter(([, r]) => keep(r)).map(([id]) => id).sort();
  }

  private put(b: ModelUpgradeBatch): ModelUpgradeBatch {
    this.batches.set(b.id, b);
    return b;
  }
}

/** The upgrade queue as a list of jobs; the test takes jobs off it as a worker would. `down` makes every call fail. */
export class InMemoryUpgradeQueue implements ModelUpgradeQueue {
  readonly fanOuts = new Set<string>();
  /** Subject jobs waiting or running, by jobId `batch/subject`. */
  readonly jobs = new Set<string>();
  down = false;

  async enqueueFanOut(batchId: string): Promise<void> {
    this.check();
    this.fanOuts.add(batchId);
  }

  async enqueueSubjects(batchId: string, subjectIds: readonly string[]): Promise<void> {
    this.check();
    for (const id of subjectIds) this.jobs.add(`${batchId}/${id}`);
  }

  async backlog(): Promise<number> {
    this.check();
    return this.jobs.size;
  }

  /** Takes the subject jobs off the queue (as finished or lost), returning their subject ids. */
  drain(): string[] {
    const ids = [...this.jobs].map((j) => j.split('/')[1]!);
    this.jobs.clear();
    return ids;
  }

  private check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
}

/** Sealed images by blob key. The stub engine finds a face in an image whose bytes read `face`. */
export class InMemoryImageVault implements Pick<BiometricVault, 'getImage' | 'sealEmbedding'> {
  readonly images = new Map<string, Buffer>();
  /** Blob keys whose image exists but cannot be decrypted. */
  readonly unreadable = new Set<string>();

  async getImage(_subjectId: string, blobKey: string): Promise<Buffer | null> {
    if (this.unreadable.has(blobKey)) throw new AppError('DATA_UNREADABLE', 'Stored data could not be decrypted.', 500);
    return this.images.get(blobKey) ?? null;
  }

  async sealEmbedding(_subjectId: string, _templateId: string, embedding: Float32Array): Promise<Buffer> {
    return Buffer.from(embedding.buffer);
  }
}

/** Decoding keeps the bytes, so that the stub engine can read them; a document crop is the page itself. */
export const passThroughOps: ImageOps = {
  decodeRgb: async (bytes) => ({ data: bytes, width: 640, height: 480 }),
  cropRgb: async (bytes) => ({ rgb: { data: bytes, width: 640, height: 480 }, left: 0, top: 0, scale: 1 }),
};

/** A face engine of `target` that finds one large face in an image reading `face` and none in any other. */
export function stubEngine(target: ModelTarget): FaceEngine {
  return {
    info: { name: 'stub', model: target.model, version: target.version, detector: 'stub', backend: 'cpu', embeddingSize: 2 },
    detectFaces: async (rgb) => (Buffer.from(rgb.data).toString() === 'face'
      ? [{ box: { x: 100, y: 100, width: 240, height: 300 }, score: 0.98, landmarks: [], embedding: new Float32Array([0.6, 0.8]) }]
      : []),
    tensorCount: () => 0,
    dispose: async () => undefined,
  };
}

/** One of a subject's references in the seed: its model, status and what is left of the image it was taken from. */
export interface SeedReference {
  readonly source: 'selfie' | 'document';
  readonly model?: string;
  readonly version?: string;
  readonly status?: TemplateStatus;
  /** The image's bytes (`face` has one), or null where retention deleted it. */
  readonly image: string | null;
}

export const OLD_MODEL: ModelTarget = { model: 'human-faceapi-frnet-5pt', version: '3.3.6' };

/** Every port of a model upgrade in memory, with the audit service over the same trail. */
export function inMemoryModelUpgrade(clock = new MutableClock(new Date('2026-03-01T08:00:00Z'))) {
  const subjects = new InMemorySubjects();
  const templates = new InMemoryTemplates();
  const ports = {
    subjects, templates, items: new InMemoryStoredItems(new InMemoryLegalHolds()), modelUpgrades: new InMemoryModelUpgrades(subjects, templates), audit: new InMemoryAuditLog(),
  };
  const uow = inMemoryUnitOfWork(ports);
  const vault = new InMemoryImageVault();
  let n = 0;

  /** An active subject enrolled on one submission, with a template and a retention entry per reference. */
  function enrol(id: string, references: readonly SeedReference[], over: Partial<Subject> = {}): void {
    const at = clock.now();
    subjects.rows.set(id, {
      id, ref: `PN-${id}`, status: 'active', hasPassport: true, language: 'tg', enrolledAt: at, createdAt: at, erasedAt: null, reenrolment: null, ...over,
    });
    const submissionId = `sub-${id}`;
    for (const r of references) {
      const templateId = `t-${++n}`;
      templates.rows.push({
        id: templateId, subjectId: id, submissionId, source: r.source, model: r.model ?? OLD_MODEL.model, modelVersion: r.version ?? OLD_MODEL.version,
        status: r.status ?? 'active', sealedEmbedding: Buffer.alloc(8), faceScore: 0.9, createdAt: at,
      });
      const blobKey = `blob-${n}`;
      const common = { subjectId: id, submissionId, role: r.source, createdAt: at, deleteCondition: null };
      ports.items.rows.push({
        ...common, id: `img-${n}`, itemClass: `${r.source}_image`, blobKey, templateId: null, policy: 'images',
        deleteAt: new Date(at.getTime() + 30 * DAY_MS), deletedAt: r.image === null ? at : null,
      }, {
        ...common, id: `ref-${n}`, itemClass: 'reference_template', blobKey: null, templateId, policy: 'reference-template',
        deleteAt: new Date(at.getTime() + 400 * DAY_MS), deletedAt: null,
      });
      if (r.image !== null) vault.images.set(blobKey, Buffer.from(r.image));
    }
  }

  return { ports, uow, clock, audit: new AuditService({ uow, clock }), queue: new InMemoryUpgradeQueue(), vault, enrol };
}

export type InMemoryModelUpgrade = ReturnType<typeof inMemoryModelUpgrade>;
