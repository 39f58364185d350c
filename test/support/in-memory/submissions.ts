import { AuditService } from '../../../src/domain/audit/audit.service.js';
import type { ConsentConfirmationPorts } from '../../../src/domain/consent/consent-ports.js';
import type { ConsentRecordRequest, ConsentText, NewConsent, RecordingConfirmation, WithdrawalRequest } from '../../../src/domain/consent/consent.js';
import type { RetentionSettings } from '../../../src/domain/retention/retention-policy.js';
import type { BiometricVault } from '../../../src/domain/subjects/biometric-vault.js';
import type { SubjectCorrection, SubjectRepository } from '../../../src/domain/subjects/subject-ports.js';
import { SubjectService } from '../../../src/domain/subjects/subject.service.js';
import type { Subject } from '../../../src/domain/subjects/subject.js';
import type {
  IntakePorts, SubmissionCompletion, SubmissionQueryPorts, SubmissionRepository,
} from '../../../src/domain/submissions/submission-ports.js';
import type { Submission, SubmissionKind } from '../../../src/domain/submissions/submission.js';
import type { GalleryReference, ReferenceOrigin, StoredTemplate } from '../../../src/domain/verification/template.js';
import type { ProcessorPorts } from '../../../src/domain/verification/processor-ports.js';
import type { TemplateRepository } from '../../../src/domain/verification/verification-ports.js';
import { MutableClock } from '../mutable-clock.js';
import { InMemoryAuditLog } from './audit.js';
import { InMemoryTemplates } from './model-upgrade.js';
import { InMemoryLegalHolds, InMemoryStoredItems, subjectRecord } from './retention.js';
import { inMemoryUnitOfWork } from './unit-of-work.js';

const OPEN: readonly Submission['status'][] = ['queued', 'processing'];

export class InMemorySubmissions implements SubmissionRepository {
  readonly rows: Submission[] = [];

  async insert(s: { id: string; subjectId: string; kind: SubmissionKind; createdAt: Date }): Promise<void> {
    this.rows.push({
      ...s, status: 'queued', decision: null, reasons: [], result: null, attempts: 0, startedAt: null, completedAt: null,
      machineDecision: null, review: null,
    });
  }

  async findById(id: string): Promise<Submission | null> {
    return this.rows.find((s) => s.id === id) ?? null;
  }

  async startAttempt(id: string, at: Date): Promise<Submission | null> {
    return this.update(id, (s) => ({ status: 'processing', attempts: s.attempts + 1, startedAt: s.startedAt ?? at }));
  }

  async complete(id: string, o: SubmissionCompletion): Promise<boolean> {
    const done = this.update(id, () => ({ status: o.status, decision: o.decision, reasons: [...o.reasons], result: o.result, completedAt: o.at }));
    return done !== null;
  }

  async findStaleQueued(olderThan: Date, limit: number): Promise<string[]> {
    return this.rows.filter((s) => s.status === 'queued' && s.createdAt < olderThan).slice(0, limit).map((s) => s.id);
  }

  async purgeResult(id: string): Promise<void> {
    const i = this.rows.findIndex((s) => s.id === id);
    if (i >= 0) this.rows[i] = { ...this.rows[i]!, result: null, reasons: [] };
  }

  async listForSubject(subjectId: string, limit = 50): Promise<Submission[]> {
    return this.rows.filter((s) => s.subjectId === subjectId).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
  }

  /** Moves an open submission, as storage's status guard does; null when it is terminal or unknown. */
  private update(id: string, change: (s: Submission) => Partial<Submission>): Submission | null {
    const i = this.rows.findIndex((s) => s.id === id && OPEN.includes(s.status));
    if (i < 0) return null;
    this.rows[i] = { ...this.rows[i]!, ...change(this.rows[i]!) };
    return this.rows[i]!;
  }
}

export class InMemorySubjectRecords implements SubjectRepository {
  readonly rows = new Map<string, Subject>();
  readonly passports = new Map<string, Buffer>();
  readonly corrections: (SubjectCorrection & { subjectId: string })[] = [];

  async insert(s: { id: string; ref: string; createdAt: Date }): Promise<boolean> {
    if ([...this.rows.values()].some((r) => r.ref === s.ref)) return false;
    this.rows.set(s.id, subjectRecord({ id: s.id, ref: s.ref, createdAt: s.createdAt, enrolledAt: null, hasPassport: false }));
    return true;
  }

  async findByRef(ref: string): Promise<Subject | null> {
    return [...this.rows.values()].find((s) => s.ref === ref) ?? null;
  }

  async findById(id: string): Promise<Subject | null> {
    return this.rows.get(id) ?? null;
  }

  async setPassport(id: string, sealed: Buffer): Promise<void> {
    this.passports.set(id, sealed);
    this.change(id, { hasPassport: true });
  }

  async getSealedPassport(id: string): Promise<Buffer | null> {
    return this.passports.get(id) ?? null;
  }

  async markErased(id: string, at: Date, _reason: string): Promise<void> {
    this.passports.delete(id);
    this.change(id, { status: 'erased', erasedAt: at, hasPassport: false });
  }

  async insertCorrection(c: SubjectCorrection & { id: string; subjectId: string }): Promise<void> {
    this.corrections.push(c);
  }

  async listCorrections(subjectId: string): Promise<SubjectCorrection[]> {
    return this.corrections.filter((c) => c.subjectId === subjectId);
  }

  async setLanguage(id: string, language: Subject['language']): Promise<void> {
    this.change(id, { language });
  }

  async markEnrolled(id: string, at: Date): Promise<void> {
    this.change(id, { enrolledAt: this.rows.get(id)?.enrolledAt ?? at, reenrolment: null });
  }

  async markReenrolmentRequired(id: string, at: Date, reason: string): Promise<void> {
    this.change(id, { reenrolment: this.rows.get(id)?.reenrolment ?? { requiredAt: at, reason } });
  }

  private change(id: string, patch: Partial<Subject>): void {
    const s = this.rows.get(id);
    if (s) this.rows.set(id, { ...s, ...patch });
  }
}

/** Reference templates with their origin (storage reads it from the submission they were taken from). */
export class InMemoryGallery extends InMemoryTemplates
  implements Pick<TemplateRepository, 'findActive' | 'findSupersededHeld' | 'retire' | 'newestActiveAt' | 'countActive'> {
  readonly origins = new Map<string, ReferenceOrigin>();

  /** A template as the recorder or a test writes it; a selfie's origin is `verification` unless given. */
  override async insert(t: StoredTemplate, origin?: ReferenceOrigin): Promise<boolean> {
    const added = await super.insert(t);
    if (added) this.origins.set(t.id, origin ?? (t.source === 'document' ? 'document' : 'verification'));
    return added;
  }

  async findActive(subjectId: string, model: string): Promise<GalleryReference[]> {
    return this.withOrigin(this.rows.filter((t) => t.subjectId === subjectId && t.model === model && t.status === 'active'));
  }

  async findSupersededHeld(subjectId: string, model: string): Promise<GalleryReference[]> {
    return this.withOrigin(this.rows.filter((t) => t.subjectId === subjectId && t.model === model && t.status === 'superseded' && t.sealedEmbedding.length));
  }

  async retire(id: string): Promise<boolean> {
    const i = this.rows.findIndex((t) => t.id === id && t.status === 'active');
    if (i < 0) return false;
    this.rows[i] = { ...this.rows[i]!, status: 'retired', sealedEmbedding: Buffer.alloc(0) };
    return true;
  }

  async newestActiveAt(subjectId: string): Promise<Date | null> {
    const active = this.rows.filter((t) => t.subjectId === subjectId && t.status === 'active').map((t) => t.createdAt.getTime());
    return active.length ? new Date(Math.max(...active)) : null;
  }

  async countActive(subjectId: string): Promise<number> {
    return this.rows.filter((t) => t.subjectId === subjectId && t.status === 'active').length;
  }

  private withOrigin(rows: StoredTemplate[]): GalleryReference[] {
    return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map((t) => ({ ...t, origin: this.origins.get(t.id) ?? 'enrollment' }));
  }
}

type ConfirmationLedger = ConsentConfirmationPorts['consents'];

/**
 * The consent ledger as intake and the recorder reach it: the requests filed beside a submission, the consents a
 * phone recorded before enrolment (`pendingFirst`, by subject) and how the enrolment settled them.
 */
export class InMemoryConsentRequests implements ConfirmationLedger {
  readonly withdrawals: WithdrawalRequest[] = [];
  readonly records: ConsentRecordRequest[] = [];
  readonly recorded: NewConsent[] = [];
  readonly pendingFirst = new Map<string, string[]>();
  readonly settledFirst: { subjectId: string; consentIds: string[]; confirmation: RecordingConfirmation; ended: { reason: string } | null }[] = [];
  private readonly settledRecords = new Map<string, string | null>();

  async findText(): Promise<ConsentText | null> {
    return null;
  }

  async insert(consent: NewConsent): Promise<void> {
    this.recorded.push(consent);
  }

  async settlePendingConfirmation(
    subjectId: string, confirmation: RecordingConfirmation, ended: { at: Date; by: string; reason: string } | null,
  ): Promise<string[]> {
    const consentIds = this.pendingFirst.get(subjectId) ?? [];
    this.pendingFirst.delete(subjectId);
    if (consentIds.length) this.settledFirst.push({ subjectId, consentIds, confirmation, ended });
    return consentIds;
  }

  async findOpenRecordRequest(submissionId: string): Promise<ConsentRecordRequest | null> {
    return this.settledRecords.has(submissionId) ? null : this.records.find((r) => r.submissionId === submissionId) ?? null;
  }

  async settleRecordRequest(submissionId: string, _at: Date, consentId: string | null): Promise<boolean> {
    if (this.settledRecords.has(submissionId) || !this.records.some((r) => r.submissionId === submissionId)) return false;
    this.settledRecords.set(submissionId, consentId);
    return true;
  }

  async insertWithdrawalRequest(request: WithdrawalRequest): Promise<void> {
    this.withdrawals.push(request);
  }

  async insertRecordRequest(request: ConsentRecordRequest): Promise<void> {
    this.records.push(request);
  }
}

/** Images and sealed records in memory: "sealing" is a readable copy, since nothing here tests the encryption. */
export class InMemoryVault
  implements Pick<BiometricVault, 'putImage' | 'getImage' | 'putEvidence' | 'sealRecord' | 'openRecord' | 'sealEmbedding' | 'openEmbedding'> {
  readonly images = new Map<string, Buffer>();
  readonly evidence = new Map<string, Buffer>();

  async putImage(_subjectId: string, blobKey: string, bytes: Uint8Array): Promise<void> {
    this.images.set(blobKey, Buffer.from(bytes));
  }

  async getImage(_subjectId: string, blobKey: string): Promise<Buffer | null> {
    return this.images.get(blobKey) ?? null;
  }

  async putEvidence(blobKey: string, bytes: Uint8Array): Promise<void> {
    this.evidence.set(blobKey, Buffer.from(bytes));
  }

  async sealRecord(_subjectId: string, _purpose: string, value: unknown): Promise<Buffer> {
    return Buffer.from(JSON.stringify(value));
  }

  async openRecord<T>(_subjectId: string, _purpose: string, sealed: Buffer): Promise<T> {
    return JSON.parse(sealed.toString()) as T;
  }

  async sealEmbedding(_subjectId: string, _templateId: string, embedding: Float32Array): Promise<Buffer> {
    return Buffer.from(embedding.buffer.slice(embedding.byteOffset, embedding.byteOffset + embedding.byteLength));
  }

  async openEmbedding(_subjectId: string, _templateId: string, sealed: Buffer): Promise<Float32Array> {
    return new Float32Array(sealed.buffer.slice(sealed.byteOffset, sealed.byteOffset + sealed.byteLength));
  }
}

export const RETENTION: RetentionSettings = { imagesDays: 30, resultsDays: 365, livenessFrameHours: 24, templateMaxDays: null };

/** Subjects, submissions, the ledger, references and the audit trail in memory, with the subject service over them. */
export function submissionsHarness(now = new Date('2026-12-01T09:00:00Z')) {
  const clock = new MutableClock(now);
  const holds = new InMemoryLegalHolds();
  const ports = {
    subjects: new InMemorySubjectRecords(), submissions: new InMemorySubmissions(), items: new InMemoryStoredItems(holds), holds,
    templates: new InMemoryGallery(), consents: new InMemoryConsentRequests(), audit: new InMemoryAuditLog(),
  } satisfies IntakePorts & SubmissionQueryPorts & ProcessorPorts;
  const uow = inMemoryUnitOfWork(ports);
  const vault = new InMemoryVault();
  const audit = new AuditService({ uow, clock });
  const subjects = new SubjectService({ uow, vault, audit, clock });
  return { clock, ports, uow, vault, audit, subjects, log: ports.audit };
}

export type SubmissionsHarness = ReturnType<typeof submissionsHarness>;
