import { ENGINE_MODELS } from '../../engine/create-engine.js';
import type { FaceEngine } from '../../engine/face-engine.js';

/** The face pipelines a batch may move references to: every model the engine can build. */
export const UPGRADE_TARGET_MODELS = ENGINE_MODELS;

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
