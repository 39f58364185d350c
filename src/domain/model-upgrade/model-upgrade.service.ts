import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { actorLabel, type Actor, type AuditAction } from '../audit/audit-entry.js';
import { progressOf, type BatchState, type ModelUpgradeBatch, type SubjectState, type UpgradeSubjectRow } from './model-upgrade.js';
import type { ModelUpgradeQueue, TargetEngines } from './model-upgrade-ports.js';
import { BATCH_TARGET, batchDetails, type UpgradeBaseDeps } from './upgrade-audit.js';
import type { UpgradeDispatcher } from './upgrade-dispatcher.js';

/** What an operator gives to start a batch. */
export interface UpgradeInput {
  /** The pipeline to move references to (ENGINE_MODEL's values). */
  readonly targetModel: string;
  /** Days a superseded template's embedding is kept (default from the settings). */
  readonly supersededGraceDays?: number;
}

export interface ModelUpgradeServiceDeps extends UpgradeBaseDeps {
  readonly queue: ModelUpgradeQueue;
  readonly dispatcher: UpgradeDispatcher;
  readonly engines: Pick<TargetEngines, 'versionOf'>;
  readonly settings: { readonly supersededGraceDays: number };
  /** The batch row is committed; a queue that cannot be reached now is left to the workers' tick. */
  readonly onEnqueueError?: (error: unknown) => void;
}

/** Life of model upgrade batches: start, pause, resume, cancel; progress and the subjects' outcomes. */
export class ModelUpgradeService {
  constructor(private readonly deps: ModelUpgradeServiceDeps) {}

  /** Starts a batch towards the target model's installed version; one batch may be open at a time. */
  async start(input: UpgradeInput, actor: Actor): Promise<ModelUpgradeBatch> {
    const version = this.deps.engines.versionOf(input.targetModel);
    if (!version) throw new ValidationError('UNKNOWN_MODEL', `No face pipeline "${input.targetModel}".`, { fields: ['targetModel'] });
    const graceDays = input.supersededGraceDays ?? this.deps.settings.supersededGraceDays;
    if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > 365) {
      throw new ValidationError('INVALID_GRACE_PERIOD', 'supersededGraceDays must be a whole number from 0 to 365.', { fields: ['supersededGraceDays'] });
    }
    const id = newId();
    const created = await this.deps.uow.transaction(async (ports) => {
      const ok = await ports.modelUpgrades.insertBatch({ id, target: { model: input.targetModel, version }, supersededGraceDays: graceDays, createdAt: this.deps.clock.now(), createdBy: actorLabel(actor) });
      if (!ok) return null;
      await this.deps.audit.record({
        actor, action: 'model-upgrade.started', targetType: BATCH_TARGET, targetId: id, outcome: 'success',
        details: { model: input.targetModel, version, supersededGraceDays: graceDays },
      }, ports);
      return ports.modelUpgrades.findById(id);
    });
    if (!created) {
      const open = await this.deps.uow.ports.modelUpgrades.findOpen();
      throw new ConflictError('MODEL_UPGRADE_OPEN', 'Another model upgrade batch is running or paused: finish or cancel it first.', { batchId: open?.id ?? null });
    }
    await this.kick(id);
    return created;
  }

  async get(id: string): Promise<ModelUpgradeBatch> {
    const batch = await this.deps.uow.ports.modelUpgrades.findById(id);
    if (!batch) throw new NotFoundError('MODEL_UPGRADE_NOT_FOUND', `No model upgrade batch "${id}".`);
    return batch;
  }

  list(limit: number): Promise<ModelUpgradeBatch[]> {
    return this.deps.uow.ports.modelUpgrades.list(limit);
  }

  async progress(id: string) {
    const batch = await this.get(id);
    return { batch, ...progressOf(batch) };
  }

  /** A page of the batch's subjects (pension number, state, reason) in a stable order; `after` is the last row's cursor. */
  async subjects(id: string, q: { state?: SubjectState; after: string | null; limit: number }): Promise<UpgradeSubjectRow[]> {
    await this.get(id);
    return this.deps.uow.ports.modelUpgrades.subjects(id, q);
  }

  /** No subject is started while paused; a job already running finishes its subject. */
  pause(id: string, actor: Actor): Promise<ModelUpgradeBatch> {
    return this.transition(id, ['running'], 'paused', actor, 'model-upgrade.paused', 'MODEL_UPGRADE_NOT_RUNNING');
  }

  /** Continues after the cursor; subjects whose jobs found the batch paused are enqueued again. */
  async resume(id: string, actor: Actor): Promise<ModelUpgradeBatch> {
    const batch = await this.transition(id, ['paused'], 'running', actor, 'model-upgrade.resumed', 'MODEL_UPGRADE_NOT_PAUSED');
    await this.kick(id);
    return batch;
  }

  /** Stops the batch for good: subjects not reached keep their templates as they are. */
  cancel(id: string, reason: string, actor: Actor): Promise<ModelUpgradeBatch> {
    return this.transition(id, ['running', 'paused'], 'cancelled', actor, 'model-upgrade.cancelled', 'MODEL_UPGRADE_FINISHED', reason);
  }

  /** The fan-out (if not done) and the pending subjects to the queue; if Redis is down the workers' tick does it. */
  private async kick(id: string): Promise<void> {
    try {
      const batch = await this.get(id);
      if (!batch.fanoutDoneAt) await this.deps.queue.enqueueFanOut(id);
      await this.deps.dispatcher.recover(id);
    } catch (error) {
      this.deps.onEnqueueError?.(error);
    }
  }

  private async transition(
    id: string, from: BatchState[], to: BatchState, actor: Actor, action: AuditAction, code: string, cancelReason?: string,
  ): Promise<ModelUpgradeBatch> {
    return this.deps.uow.transaction(async (ports) => {
      const batch = await ports.modelUpgrades.changeState(id, from, to, this.deps.clock.now(), { cancelReason });
      if (!batch) {
        const current = await ports.modelUpgrades.findById(id);
        if (!current) throw new NotFoundError('MODEL_UPGRADE_NOT_FOUND', `No model upgrade batch "${id}".`);
        throw new ConflictError(code, `The batch is ${current.state}; this needs it ${from.join(' or ')}.`, { state: current.state });
      }
      await this.deps.audit.record({
        actor, action, targetType: BATCH_TARGET, targetId: id, outcome: 'success', details: batchDetails(batch),
      }, ports);
      return batch;
    });
  }
}
