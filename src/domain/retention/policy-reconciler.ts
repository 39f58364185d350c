import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { EVENT_POLICIES, retentionRules, timerFor, type RetentionSettings } from './retention-policy.js';
import type { RetentionPorts } from './retention-ports.js';

export interface ReconcileReport {
  readonly examined: number;
  readonly shortened: number;
  readonly extended: number;
  /** Items whose new policy would keep them longer than promised, left at the promised date. */
  readonly keptPromise: number;
  readonly changedItemIds: readonly string[];
}

export interface PolicyReconcilerDeps {
  readonly uow: UnitOfWork<RetentionPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
}

const PAGE = 500;

/**
 * Applies a changed retention policy to data already held. A deadline may move earlier freely; it moves
 * later (a promise to the subject broken) only with a recorded reason (Art. 14), never silently.
 */
export class PolicyReconciler {
  constructor(private readonly deps: PolicyReconcilerDeps) {}

  async reconcile(settings: RetentionSettings, extendReason?: string): Promise<ReconcileReport> {
    const { uow, audit, clock } = this.deps;
    const rules = retentionRules(settings);
    let afterId = '00000000-0000-0000-0000-000000000000';
    let examined = 0;
    let shortened = 0;
    let extended = 0;
    let keptPromise = 0;
    const changed: string[] = [];
    for (;;) {
      const items = await uow.ports.items.livePolicyItems(afterId, PAGE);
      if (!items.length) break;
      afterId = items[items.length - 1]!.id;
      for (const item of items) {
        examined += 1;
        const rule = rules[item.itemClass];
        if (EVENT_POLICIES.has(item.policy) || item.policy === rule.policy) continue;
        const next = timerFor(rule, item.anchor);
        const old = item.deleteAt;
        const later = old !== null && (next.deleteAt === null || next.deleteAt.getTime() > old.getTime());
        if (later && !extendReason) {
          keptPromise += 1;
          continue;
        }
        await uow.transaction(async (ports) => {
          await ports.items.setTimer(item.id, next.deleteAt, next.policy);
          if (later) {
            await ports.items.recordChange({
              id: newId(), itemId: item.id, oldDeleteAt: old, newDeleteAt: next.deleteAt, oldPolicy: item.policy,
              newPolicy: next.policy, reason: extendReason!, at: clock.now(),
            });
            await audit.record({
              actor: { type: 'system', id: 'retention', role: null }, action: 'retention.extended', subjectId: item.subjectId,
              targetType: item.itemClass, targetId: item.id, outcome: 'success',
              details: { oldPolicy: item.policy, newPolicy: next.policy, reason: extendReason! },
            }, ports);
          }
        });
        if (later) extended += 1;
        else shortened += 1;
        changed.push(item.id);
      }
    }
    return { examined, shortened, extended, keptPromise, changedItemIds: changed };
  }
}
