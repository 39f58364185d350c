import type { Clock } from '../../shared/clock.js';
import type { AuditService } from './audit.service.js';
import type { Actor } from './audit-entry.js';

export interface AccessMonitorSettings {
  /** Image views by one actor within the window that count as unusual. */
  readonly maxViews: number;
  readonly windowMs: number;
}

/**
 * Detects unusual access (Art. 25): someone opening many different faces in a short time, without the decisions
 * that would explain it, raises an alert entry in the audit trail and a metric. One alert per window.
 */
export class AccessMonitor {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: AccessMonitorSettings,
    private readonly onAlert: (actor: Actor) => void = () => undefined,
  ) {}

  async afterImageView(actor: Actor): Promise<boolean> {
    if (!actor.id) return false;
    const since = new Date(this.clock.now().getTime() - this.settings.windowMs);
    // Distinct images: re-rendering a page or switching its language shows the same faces again, which is not
    // more access; opening many different faces is.
    const views = await this.audit.countDistinctTargetsByActor(actor.id, 'image.viewed', since);
    const decisions = await this.audit.countByActor(actor.id, 'review.decided', since);
    if (views - decisions <= this.settings.maxViews) return false;
    if ((await this.audit.countByActor(actor.id, 'alert.unusual-access', since)) > 0) return false;
    await this.audit.record({
      actor, action: 'alert.unusual-access', outcome: 'alert', targetType: 'actor', targetId: actor.id,
      details: { views, decisions, windowMinutes: Math.round(this.settings.windowMs / 60_000), threshold: this.settings.maxViews },
    });
    this.onAlert(actor);
    return true;
  }
}
