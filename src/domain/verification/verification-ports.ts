import type { AuditPorts } from '../audit/audit-ports.js';
import type { StoredItem } from '../retention/stored-item.js';
import type { GalleryReference, StoredTemplate, TemplateStatus } from './template.js';

/** Reference templates as storage keeps them (src/storage/repositories/template.repository.ts). */
export interface TemplateRepository {
  /** Idempotent per (submission, source, model version): false when that template exists already (a re-run job). */
  insert(t: StoredTemplate): Promise<boolean>;
  /** Live templates of a subject for one model, newest first: the subject's gallery. */
  findActive(subjectId: string, model: string): Promise<GalleryReference[]>;
  /**
   * References of `model` that a model upgrade superseded but whose embeddings are still held (its grace period):
   * until the office switches its workers to the new model, they keep verifying the subjects already upgraded.
   */
  findSupersededHeld(subjectId: string, model: string): Promise<GalleryReference[]>;
  /**
   * A proof-of-life reference leaves the gallery for a newer one: its embedding goes at once (the row, with model
   * and time, stays for the record). False when it had already left.
   */
  retire(id: string, at: Date): Promise<boolean>;
  /** Takes every live template of a subject out of use (consent withdrawn): none is compared again. Returns how many. */
  withdrawAll(subjectId: string): Promise<number>;
  /** Erasure: the sealed embeddings are dropped, the rows (model, time, score) stay for the decision record. */
  destroyAll(subjectId: string, at: Date): Promise<number>;
  /** Purges one template: the sealed embedding goes, the row (model, time) stays for the record. */
  destroyOne(id: string, at: Date): Promise<void>;
  /** A reviewer's word on an enrolment: its pending templates become active, or leave use. Returns their ids. */
  settlePending(submissionId: string, approve: boolean): Promise<string[]>;
  /** Templates in use or awaiting review (any model), oldest first: what a model upgrade may replace. */
  findUsable(subjectId: string): Promise<StoredTemplate[]>;
  /** A model upgrade replaced it; false when it is no longer in `from` (withdrawn or reviewed meanwhile). */
  supersede(id: string, from: TemplateStatus): Promise<boolean>;
  /** When the newest reference in use was taken (any model); null when none is in use. */
  newestActiveAt(subjectId: string): Promise<Date | null>;
  countActive(subjectId: string): Promise<number>;
}

/** What comparing a selfie with the subject's gallery reads. */
export interface MatchPorts {
  readonly templates: Pick<TemplateRepository, 'findActive' | 'findSupersededHeld'>;
}

/** What keeping the gallery bounded writes, inside the transaction that lets a selfie join it. */
export interface GalleryPorts extends AuditPorts {
  readonly templates: Pick<TemplateRepository, 'findActive' | 'retire'>;
  readonly items: {
    /** The ledger entry of a reference template; null when it has none. */
    findForTemplate(templateId: string): Promise<StoredItem | null>;
    /** False when it was deleted already. */
    markDeleted(id: string, at: Date): Promise<boolean>;
  };
}

