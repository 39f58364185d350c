import type { ModelUpgradeBatch } from './model-upgrade.js';
import type { ModelUpgradePorts } from './model-upgrade-ports.js';
import { completeIfDrained, type UpgradeBaseDeps } from './upgrade-audit.js';
import type { UpgradeDispatcher } from './upgrade-dispatcher.js';

/** What a fan-out run came to. Only `done` finishes it; the others leave it for a later run. */
export type FanOutOutcome = 'done' | 'already-done' | 'not-running' | 'stopped' | 'taken-over' | 'missing';

export interface FanOutProgress {
  readonly batchId: string;
  /** Subjects added to the batch by this fan-out so far (all runs). */
  readonly queued: number;
}

export interface FanOutOptions {
  /** Checked between pages: a worker shutting down stops at a page boundary and the fan-out resumes later. */
  readonly shouldStop?: () => boolean;
  readonly onPage?: (progress: FanOutProgress) => Promise<void> | void;
}

export interface UpgradeFanOutDeps extends UpgradeBaseDeps {
  readonly dispatcher: UpgradeDispatcher;
  readonly settings: { readonly pageSize: number };
}

class Stand extends Error {
  constructor(readonly outcome: 'not-running' | 'taken-over') {
    super(outcome);
  }
}

/**
 * Streams the batch's cohort from PostgreSQL in pages of `pageSize` subject ids (keyset, so page
 * 1,000 costs what page 1 does) and never holds more than one page. Each page is one transaction that
 * adds the subjects as pending rows and moves the cursor, so a run killed anywhere resumes after the
 * last committed page; the rows' primary key makes a page committed twice add nothing. The pending
 * rows are then fed to Redis by the dispatcher.
 */
export class UpgradeFanOutRunner {
  constructor(private readonly deps: UpgradeFanOutDeps) {}

  async run(batchId: string, opts: FanOutOptions = {}): Promise<FanOutOutcome> {
    const batch = await this.deps.uow.ports.modelUpgrades.findById(batchId);
    if (!batch) return 'missing';
    if (batch.fanoutDoneAt) return 'already-done';
    if (batch.state !== 'running') return 'not-running';
    let cursor = batch.cursor;
    let queued = batch.counts.queued;
    for (;;) {
      if (opts.shouldStop?.()) return 'stopped';
      let page: { done: boolean; cursor: string | null; added: number };
      try {
        page = await this.deps.uow.transaction((ports) => this.page(ports, batch, cursor));
      } catch (error) {
        if (error instanceof Stand) return error.outcome;
        throw error;
      }
      await this.deps.dispatcher.dispatch(batchId);
      if (page.done) {
        await completeIfDrained(this.deps, batchId);
        return 'done';
      }
      cursor = page.cursor;
      queued += page.added;
      await opts.onPage?.({ batchId, queued });
    }
  }

  private async page({ modelUpgrades: repo }: ModelUpgradePorts, batch: ModelUpgradeBatch, cursor: string | null) {
    const locked = await repo.findById(batch.id, true);
    if (!locked || locked.state !== 'running') throw new Stand('not-running');
    if (locked.fanoutDoneAt || locked.cursor !== cursor) throw new Stand('taken-over');
    const now = this.deps.clock.now();
    const ids = await repo.cohortPage(batch.target, cursor, this.deps.settings.pageSize);
    if (!ids.length) {
      await repo.finishFanOut(batch.id, now);
      return { done: true, cursor, added: 0 };
    }
    const added = await repo.insertPending(batch.id, ids, now);
    const last = ids[ids.length - 1]!;
    if (!(await repo.advance(batch.id, cursor, last, added))) throw new Stand('taken-over');
    return { done: false, cursor: last, added };
  }
}
