import { AuditService } from '../../../src/domain/audit/audit.service.js';
import type { LegalHold } from '../../../src/domain/retention/legal-hold.js';
import type {
  LegalHoldRepository, LiveTimer, PolicyItem, RetentionChange, RetentionPorts, StoredItemRepository,
} from '../../../src/domain/retention/retention-ports.js';
import type { ItemClass, StoredItem } from '../../../src/domain/retention/stored-item.js';
import type { BiometricVault } from '../../../src/domain/subjects/biometric-vault.js';
import type { Subject } from '../../../src/domain/subjects/subject.js';
import { MutableClock } from '../mutable-clock.js';
import { InMemoryAuditLog } from './audit.js';
import { inMemoryUnitOfWork } from './unit-of-work.js';

const BIOMETRIC: readonly ItemClass[] = ['selfie_image', 'document_image', 'reference_template'];

export class InMemoryLegalHolds implements LegalHoldRepository {
  readonly rows: LegalHold[] = [];

  async insert(hold: Omit<LegalHold, 'releasedAt' | 'releasedBy'>): Promise<void> {
    this.rows.push({ ...hold, releasedAt: null, releasedBy: null });
  }

  async release(subjectId: string, id: string, at: Date, by: string): Promise<boolean> {
    const i = this.rows.findIndex((h) => h.subjectId === subjectId && h.id === id && !h.releasedAt);
    if (i < 0) return false;
    this.rows[i] = { ...this.rows[i]!, releasedAt: at, releasedBy: by };
    return true;
  }

  async listForSubject(subjectId: string): Promise<LegalHold[]> {
    return this.rows.filter((h) => h.subjectId === subjectId);
  }

  async isHeld(subjectId: string): Promise<boolean> {
    return this.rows.some((h) => h.subjectId === subjectId && !h.releasedAt);
  }
}

/** The retention ledger in memory; `anchors` stands for the decision times storage reads from submissions. */
export class InMemoryStoredItems implements StoredItemRepository {
  readonly rows: StoredItem[] = [];
  readonly changes: RetentionChange[] = [];
  readonly anchors = new Map<string, Date>();

  constructor(private readonly holds: InMemoryLegalHolds) {}

  async insert(item: Omit<StoredItem, 'deletedAt'>): Promise<void> {
    if (!this.rows.some((r) => r.id === item.id)) this.rows.push({ ...item, deletedAt: null });
  }

  async findById(id: string): Promise<StoredItem | null> {
    return this.rows.find((r) => r.id === id) ?? null;
  }

  lockById(id: string): Promise<StoredItem | null> {
    return this.findById(id);
  }

  async listForSubmission(submissionId: string): Promise<StoredItem[]> {
    return this.rows.filter((r) => r.submissionId === submissionId);
  }

  async listForSubject(subjectId: string): Promise<StoredItem[]> {
    return this.rows.filter((r) => r.subjectId === subjectId);
  }

  async findForTemplate(templateId: string): Promise<StoredItem | null> {
    return this.rows.find((r) => r.templateId === templateId && r.itemClass === 'reference_template') ?? null;
  }

  async markDeleted(id: string, at: Date): Promise<boolean> {
    return this.update((r) => r.id === id, () => ({ deletedAt: at })).length === 1;
  }

  async findDue(now: Date, limit: number): Promise<string[]> {
    return (await this.overdue(now)).sort((a, b) => a.deleteAt!.getTime() - b.deleteAt!.getTime()).slice(0, limit).map((r) => r.id);
  }

  async countOverdue(now: Date): Promise<number> {
    return (await this.overdue(now)).length;
  }

  async liveTimers(scope: { submissionId: string } | { subjectId: string }): Promise<LiveTimer[]> {
    const inScope = (r: StoredItem) => ('submissionId' in scope ? r.submissionId === scope.submissionId : r.subjectId === scope.subjectId);
    return this.rows.filter((r) => inScope(r) && !r.deletedAt && r.deleteAt).map((r) => ({ id: r.id, deleteAt: r.deleteAt! }));
  }

  async livePolicyItems(afterId: string, limit: number): Promise<PolicyItem[]> {
    return this.rows.filter((r) => !r.deletedAt && r.id > afterId).sort((a, b) => a.id.localeCompare(b.id)).slice(0, limit)
      .map((r) => ({ ...r, anchor: this.anchors.get(r.id) ?? r.createdAt }));
  }

  async setTimer(id: string, deleteAt: Date | null, policy: string): Promise<void> {
    this.update((r) => r.id === id, () => ({ deleteAt, policy }));
  }

  async recordChange(change: RetentionChange): Promise<void> {
    this.changes.push(change);
  }

  async scheduleBiometrics(subjectId: string, at: Date, policy: string): Promise<number> {
    return this.update((r) => r.subjectId === subjectId && BIOMETRIC.includes(r.itemClass), (r) => ({ deleteAt: earliest(r.deleteAt, at), policy, deleteCondition: null })).length;
  }

  async markBiometricsDeleted(subjectId: string, at: Date, policy: string): Promise<string[]> {
    return this.update((r) => r.subjectId === subjectId && BIOMETRIC.includes(r.itemClass),
      (r) => ({ deletedAt: at, deleteAt: earliest(r.deleteAt, at), policy, deleteCondition: null }))
      .flatMap((r) => (r.blobKey ? [r.blobKey] : []));
  }

  async scheduleTemplatesOf(submissionId: string, at: Date, policy: string): Promise<void> {
    this.update((r) => r.submissionId === submissionId && r.itemClass === 'reference_template', () => ({ deleteAt: at, policy, deleteCondition: null }));
  }

  async retime(id: string, deleteAt: Date, policy: string): Promise<void> {
    this.update((r) => r.id === id, () => ({ deleteAt, policy, deleteCondition: null }));
  }

  async reschedule(submissionId: string, itemClass: ItemClass, deleteAt: Date, policy: string): Promise<void> {
    this.update((r) => r.submissionId === submissionId && r.itemClass === itemClass, () => ({ deleteAt, policy }));
  }

  /** Changes the live rows that match; returns them as changed. */
  private update(match: (r: StoredItem) => boolean, change: (r: StoredItem) => Partial<StoredItem>): StoredItem[] {
    const changed: StoredItem[] = [];
    this.rows.forEach((r, i) => {
      if (r.deletedAt || !match(r)) return;
      this.rows[i] = { ...r, ...change(r) };
      changed.push(this.rows[i]!);
    });
    return changed;
  }

  private async overdue(now: Date): Promise<StoredItem[]> {
    const live = this.rows.filter((r) => !r.deletedAt && r.deleteAt && r.deleteAt <= now);
    const held = await Promise.all(live.map((r) => this.holds.isHeld(r.subjectId)));
    return live.filter((_, i) => !held[i]);
  }
}

const earliest = (a: Date | null, b: Date): Date => (a && a < b ? a : b);

/**
 * What purging destroyed besides the ledger rows, as the names of the calls that reached storage
 * (`template:<id>`, `result:<submission>`, ...), and the blobs deleted from the vault.
 */
export class PurgeRecorder {
  readonly destroyed: string[] = [];
  readonly blobsDeleted: string[] = [];

  readonly templates = { destroyOne: async (id: string) => void this.destroyed.push(`template:${id}`) };
  readonly submissions = { purgeResult: async (id: string) => void this.destroyed.push(`result:${id}`) };
  readonly fingerprints = { deleteForSubmission: async (id: string) => void this.destroyed.push(`fingerprints:${id}`) };
  readonly documentRegistry = { deleteFingerprintOfItem: async (id: string) => void this.destroyed.push(`document-fingerprint:${id}`) };
  readonly vault: Pick<BiometricVault, 'deleteImage'> = { deleteImage: async (key: string) => void this.blobsDeleted.push(key) };
}

/** Retention's ports in memory, with an audit service and a hand-moved clock. */
export function retentionHarness(now = new Date('2026-12-01T12:00:00Z')) {
  const clock = new MutableClock(now);
  const holds = new InMemoryLegalHolds();
  const items = new InMemoryStoredItems(holds);
  const log = new InMemoryAuditLog();
  const recorder = new PurgeRecorder();
  const { templates, submissions, fingerprints, documentRegistry } = recorder;
  const ports: RetentionPorts = { holds, items, audit: log, templates, submissions, fingerprints, documentRegistry };
  const uow = inMemoryUnitOfWork(ports);
  return { clock, holds, items, log, recorder, uow, audit: new AuditService({ uow, clock }) };
}

/** A stored item with defaults: a live selfie of subject `s1` due at `deleteAt`. */
export function storedItem(over: Partial<StoredItem> & { id: string }): StoredItem {
  return {
    subjectId: 's1', submissionId: 'sub1', itemClass: 'selfie_image', role: 'selfie', blobKey: null, templateId: null,
    policy: 'images-30d-after-decision', deleteAt: null, deleteCondition: null, createdAt: new Date('2026-11-01T00:00:00Z'), deletedAt: null,
    ...over,
  };
}

/** An active subject with defaults. */
export function subjectRecord(over: Partial<Subject> & { id: string }): Subject {
  return {
    ref: `PN-${over.id}`, status: 'active', hasPassport: true, language: 'tg', enrolledAt: new Date('2026-01-10T00:00:00Z'),
    createdAt: new Date('2026-01-10T00:00:00Z'), erasedAt: null, reenrolment: null, ...over,
  };
}
