import type { Clock } from '../../shared/clock.js';
import type { AuditService } from './audit.service.js';
import type { Actor } from './audit-entry.js';

export interface AccessMonitorSettings {
  /** Image views by one actor within the window that count as unusual. */
  readonly maxViews: number;
  readonly windowMs: number;
}

export interface AccessMonitorDeps {
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly settings: AccessMonitorSettings;
  /** Told once per alert (metrics, the operator's log). */
  readonly onAlert?: (actor: Actor) => void;
}

/**
 * Detects unusual access (Art. 25): someone opening many different faces in a short time, without the decisions
 * that would explain it, raises an alert entry in the audit trail and a metric. One alert per window.
 */
export class AccessMonitor {
  constructor(private readonly deps: AccessMonitorDeps) {}

  async afterImageView(actor: Actor): Promise<boolean> {
    if (!actor.id) return false;
    const { audit, clock, settings } = this.deps;
    const since = new Date(clock.now().getTime() - settings.windowMs);
    // Distinct images: re-rendering a page or switching its language shows the same faces again, which is not
    // more access; opening many different faces is.
    const views = await audit.countDistinctTargetsByActor(actor.id, 'image.viewed', since);
    const decisions = await audit.countByActor(actor.id, 'review.decided', since);
    if (views - decisions <= settings.maxViews) return false;
    if ((await audit.countByActor(actor.id, 'alert.unusual-access', since)) > 0) return false;
    await audit.record({
      actor, action: 'alert.unusual-access', outcome: 'alert', targetType: 'actor', targetId: actor.id,
      details: { views, decisions, windowMinutes: Math.round(settings.windowMs / 60_000), threshold: settings.maxViews },
    });
    this.deps.onAlert?.(actor);
    return true;
  }
}
