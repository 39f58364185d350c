import { AuditService } from '../../../src/domain/audit/audit.service.js';
import type { Consent } from '../../../src/domain/consent/consent.js';
import type { ErasureLedger, ErasureLedgerEntry } from '../../../src/domain/rights/erasure-ledger.js';
import type { ErasedSubject, RightsPorts, RightsSubjects, RightsTemplates, TemplateRecord } from '../../../src/domain/rights/rights-ports.js';
import type { Subject } from '../../../src/domain/subjects/subject.js';
import type { Submission } from '../../../src/domain/submissions/submission.js';
import { MutableClock } from '../mutable-clock.js';
import { InMemoryAuditLog } from './audit.js';
import { InMemoryLegalHolds, InMemoryStoredItems } from './retention.js';
import { inMemoryUnitOfWork } from './unit-of-work.js';

export class InMemoryRightsSubjects implements RightsSubjects {
  readonly rows = new Map<string, Subject & { erasureReason?: string }>();

  async findById(id: string): Promise<Subject | null> {
    return this.rows.get(id) ?? null;
  }

  async markErased(id: string, at: Date, reason: string): Promise<void> {
    const s = this.rows.get(id)!;
    this.rows.set(id, { ...s, status: 'erased', hasPassport: false, erasedAt: at, erasureReason: reason });
  }

  async listCorrections(): Promise<{ fields: string[]; reason: string; at: Date }[]> {
    return [];
  }

  async listErased(): Promise<ErasedSubject[]> {
    return [...this.rows.values()].filter((s) => s.status === 'erased').map((s) => ({ id: s.id, erasedAt: s.erasedAt!, reason: s.erasureReason ?? '' }));
  }
}

/** A subject's references: `sealed` while the embedding is held. */
export class InMemoryRightsTemplates implements RightsTemplates {
  readonly rows: (TemplateRecord & { subjectId: string; sealed: boolean })[] = [];

  async destroyAll(subjectId: string, at: Date): Promise<number> {
    const live = this.rows.filter((t) => t.subjectId === subjectId && (t.sealed || !t.deletedAt));
    live.forEach((t) => Object.assign(t, { sealed: false, status: 'withdrawn', deletedAt: t.deletedAt ?? at }));
    return live.length;
  }

  async historyForSubject(subjectId: string): Promise<TemplateRecord[]> {
    return this.rows.filter((t) => t.subjectId === subjectId);
  }
}

/** The erasure ledger as a list. */
export class InMemoryErasureLedger implements ErasureLedger {
  readonly rows: ErasureLedgerEntry[] = [];

  append(entry: ErasureLedgerEntry): void {
    this.rows.push(entry);
  }

  entries(): ErasureLedgerEntry[] {
    return [...this.rows];
  }

  has(subjectId: string): boolean {
    return this.rows.some((e) => e.subjectId === subjectId);
  }
}

/** Everything else erasure destroys, as `<port>:<subject id>` in the order it reached storage. */
export class ErasureRecorder {
  readonly calls: string[] = [];
  readonly subjectKeys = { destroy: async (subjectId: string) => void this.calls.push(`subjectKeys:${subjectId}`) };
  readonly fingerprints = this.traces('fingerprints');
  readonly documentRegistry = this.traces('documentRegistry');
  readonly livenessChallenges = this.traces('livenessChallenges');
  readonly livenessAttempts = this.traces('livenessAttempts');
  readonly devices = {
    revokeAllForSubject: async (subjectId: string, _at: Date, by: string) => {
      this.calls.push(`devices:${subjectId} by ${by}`);
      return 2;
    },
  };

  private traces(port: string) {
    return { deleteForSubject: async (subjectId: string) => void this.calls.push(`${port}:${subjectId}`) };
  }
}

/** The rights area's ports in memory, with an audit service and a hand-moved clock. */
export function rightsHarness(now = new Date('2026-12-01T12:00:00Z')) {
  const clock = new MutableClock(now);
  const subjects = new InMemoryRightsSubjects();
  const templates = new InMemoryRightsTemplates();
  const items = new InMemoryStoredItems(new InMemoryLegalHolds());
  const log = new InMemoryAuditLog();
  const recorder = new ErasureRecorder();
  const submissions = { listForSubject: async (): Promise<Submission[]> => [] };
  const consents = { listForSubject: async (): Promise<Consent[]> => [] };
  const { subjectKeys, fingerprints, documentRegistry, livenessChallenges, livenessAttempts, devices } = recorder;
  const ports: RightsPorts = {
    subjects, templates, items, audit: log, submissions, consents, subjectKeys, fingerprints, documentRegistry, livenessChallenges, livenessAttempts, devices,
  };
  const uow = inMemoryUnitOfWork(ports);
  return { clock, subjects, templates, items, log, recorder, ports, uow, audit: new AuditService({ uow, clock }), ledger: new InMemoryErasureLedger() };
}
