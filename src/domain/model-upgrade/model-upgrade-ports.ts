import { ENGINE_MODELS } from '../../engine/create-engine.js';
import type { FaceEngine } from '../../engine/face-engine.js';
import type { AuditPorts } from '../audit/audit-ports.js';
import type { StoredItemRepository } from '../retention/retention-ports.js';
import type { SubjectRepository } from '../subjects/subject-ports.js';
import type { TemplateRepository } from '../verification/verification-ports.js';
import type {
  BatchState, ModelTarget, ModelUpgradeBatch, SubjectOutcome, SubjectState, UpgradeSubjectRow,
} from './model-upgrade.js';

/** The face pipelines a batch may move references to: every model the engine can build. */
export const UPGRADE_TARGET_MODELS = ENGINE_MODELS;

/** A batch as an operator starts it (state `running`, counts at zero). */
export interface NewBatch {
  readonly id: string;
  readonly target: ModelTarget;
  readonly supersededGraceDays: number;
  readonly createdAt: Date;
  readonly createdBy: string;
}

/** A subject's recorded outcome. */
export interface SubjectFinish {
  readonly outcome: SubjectOutcome;
  readonly reason: string | null;
  /** New references written for the subject. */
  readonly templates: number;
  readonly at: Date;
}

/** Model upgrade batches, their cohort and the per-subject ledger that makes every step idempotent. */
export interface ModelUpgradeRepository {
  /** false when another batch is still running or paused: one batch is open at a time. */
  insertBatch(batch: NewBatch): Promise<boolean>;
  /** `lock`: the batch is held until the transaction ends, so fan-out pages of two runners follow one another. */
  findById(id: string, lock?: boolean): Promise<ModelUpgradeBatch | null>;
  /** The batch running or paused, if any. */
  findOpen(): Promise<ModelUpgradeBatch | null>;
  /** Newest first. */
  list(limit: number): Promise<ModelUpgradeBatch[]>;
  /**
   * Moves to `to` only from one of `from`, stamping paused/finished times; resuming clears `lastError`. Null when
   * refused (no such batch, or in another state).
   */
  changeState(id: string, from: readonly BatchState[], to: BatchState, at: Date, extra?: { cancelReason?: string; lastError?: string }): Promise<ModelUpgradeBatch | null>;
  /**
   * A page of the cohort after `cursor`, in subject id order: active subjects not already marked for
   * re-enrolment who hold a usable template of another model (version) and none of the target.
   */
  cohortPage(target: ModelTarget, cursor: string | null, limit: number): Promise<string[]>;
  /** Adds a page of subjects as pending; a page committed twice adds nothing. Returns how many are new. */
  insertPending(batchId: string, subjectIds: readonly string[], at: Date): Promise<number>;
  /**
   * Moves the fan-out cursor from `from` to `to` and counts `queued` more subjects; false when the cursor is no
   * longer `from` or the fan-out is done (a second runner got there first), so nothing is counted twice.
   */
  advance(batchId: string, from: string | null, to: string, queued: number): Promise<boolean>;
  /** The fan-out has seen the whole cohort (the first time counts). */
  finishFanOut(batchId: string, at: Date): Promise<void>;
  /** Pending subjects not yet handed to the queue, in subject order. */
  undispatched(batchId: string, limit: number): Promise<string[]>;
  markEnqueued(batchId: string, subjectIds: readonly string[], at: Date): Promise<void>;
  /** Pending subjects go back to the outbox (their jobs were lost, or the batch was paused); returns how many. */
  resetEnqueued(batchId: string): Promise<number>;
  /** Null when the subject is not in the batch. */
  subjectState(batchId: string, subjectId: string): Promise<SubjectState | null>;
  /**
   * Records a subject's outcome and counts it, once: only a pending subject moves, so a second runner of the
   * same subject (a job taken over while the first was only slow) gets false and must roll back.
   */
  finishSubject(batchId: string, subjectId: string, finish: SubjectFinish): Promise<boolean>;
  /** running → completed once the fan-out is done and no subject is pending; null when not (yet). */
  completeIfDrained(batchId: string, at: Date): Promise<ModelUpgradeBatch | null>;
  /** A page of a batch's subjects with their pension numbers, in subject id order after `after`. */
  subjects(batchId: string, q: { state?: SubjectState; after: string | null; limit: number }): Promise<UpgradeSubjectRow[]>;
}

/** The repositories a model upgrade reaches, in or out of a transaction. */
export interface ModelUpgradePorts extends AuditPorts {
  readonly modelUpgrades: ModelUpgradeRepository;
  readonly templates: Pick<TemplateRepository, 'findUsable' | 'insert' | 'supersede'>;
  /** The old references' retention deadlines carry over to the new ones. */
  readonly items: Pick<StoredItemRepository, 'listForSubmission' | 'findForTemplate' | 'insert' | 'retime'>;
  readonly subjects: Pick<SubjectRepository, 'findById' | 'markReenrolmentRequired'>;
}

/** Model upgrade jobs; implemented over BullMQ in src/queue/model-upgrade.producer.ts. Payloads are ids only. */
export interface ModelUpgradeQueue {
  /** The batch's fan-out; idempotent while the job exists. */
  enqueueFanOut(batchId: string): Promise<void>;
  /** One job per subject (jobId per batch and subject), added in bulk. */
  enqueueSubjects(batchId: string, subjectIds: readonly string[]): Promise<void>;
  /** Subject jobs waiting, delayed or running: the dispatcher keeps Redis below a limit. */
  backlog(): Promise<number>;
}

/** The target models: their versions without loading them (API), and loaded engines (workers). */
export interface TargetEngines {
  /** The version an engine of `model` reports; null when no such pipeline exists. */
  versionOf(model: string): string | null;
  /** A loaded engine for `model` (loaded once per process, then shared). */
  engineFor(model: string): Promise<FaceEngine>;
}

/** Model upgrade behaviour (defaults in modelUpgradeSettings). */
export interface ModelUpgradeSettings {
  /** Subjects per fan-out page: one transaction and one addBulk each. */
  readonly pageSize: number;
  /** Subject jobs allowed to wait in Redis at once; the rest wait as pending rows in PostgreSQL. */
  readonly maxQueued: number;
  /** How often the backstop tick looks for batches whose jobs Redis lost. */
  readonly tickMs: number;
  /** BullMQ lock of upgrade jobs: a killed worker's job is taken over after this. */
  readonly jobLockMs: number;
  /** Upgrade jobs one worker process runs at once (inference: 1). */
  readonly concurrency: number;
  /** Default days a superseded template's embedding is kept. */
  readonly supersededGraceDays: number;
}

export function modelUpgradeSettings(overrides: Partial<ModelUpgradeSettings> & { readonly jobLockMs: number }): ModelUpgradeSettings {
  return { pageSize: 500, maxQueued: 1000, tickMs: 60_000, concurrency: 1, supersededGraceDays: 30, ...overrides };
}
