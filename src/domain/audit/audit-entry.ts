/** Who did something: an API key, a phone's device credential, a staff member, the system itself, or an unidentified caller. */
export interface Actor {
  readonly type: 'api-key' | 'device' | 'staff' | 'system' | 'anonymous';
  /** Public key id, staff id or system component; never a secret. */
  readonly id: string | null;
  readonly role: string | null;
}

/** `api-key:<id>`, `device:<id>`, `staff:<id>`: an actor as one reference, stored where a row names who acted. */
export const actorRef = (actor: Pick<Actor, 'type' | 'id'>): string => `${actor.type}:${actor.id ?? 'unknown'}`;

/**
 * One audited event. `details` holds codes, counts and ids only: never an image, a template, a
 * passport field or a name (Art. 25: the trail must not become a second copy of the data).
 */
export interface AuditEvent {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly purpose?: string | null;
  readonly subjectId?: string | null;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  readonly outcome: 'success' | 'denied' | 'failure' | 'alert';
  readonly details?: Readonly<Record<string, string | number | boolean | null | readonly string[]>>;
}

export type AuditAction =
  | 'subject.created' | 'subject.corrected' | 'subject.erased'
  | 'consent.recorded' | 'consent.withdrawn' | 'consent.withdrawal-requested' | 'consent.withdrawal-refused'
  | 'consent.recording-requested' | 'consent.recording-refused' | 'consent.face-confirmed' | 'consent.face-refused'
  | 'image.read' | 'image.viewed' | 'template.read'
  | 'submission.decided'
  | 'access-report.exported' | 'audit.read'
  | 'auth.denied'
  | 'alert.unusual-access' | 'alert.auth-failures' | 'review.decided'
  | 'retention.purged' | 'retention.extended'
  | 'legal-hold.placed' | 'legal-hold.released'
  | 'staff.login' | 'review.claimed'
  | 'campaign.created' | 'campaign.started' | 'campaign.paused' | 'campaign.resumed' | 'campaign.cancelled'
  | 'campaign.deadline-changed' | 'campaign.closed' | 'campaign.case-closed' | 'campaign.overdue-exported'
  | 'campaign.deliveries-retried' | 'campaign-template.created' | 'campaign-template.deactivated'
  | 'subject.attributes-set'
  | 'liveness.challenge-issued' | 'liveness.locked-out'
  | 'model-upgrade.started' | 'model-upgrade.paused' | 'model-upgrade.resumed' | 'model-upgrade.cancelled'
  | 'model-upgrade.completed' | 'template.re-extracted' | 'subject.reenrolment-required'
  | 'template.joined-gallery' | 'template.retired'
  | 'device-credential.issued' | 'device-credential.code-issued' | 'device-credential.revoked' | 'roster.imported';

/** An entry as stored: the event plus its place in the hash chain. */
export interface AuditEntry extends AuditEvent {
  readonly seq: number;
  readonly id: string;
  readonly at: Date;
  readonly prevHash: string;
  readonly hash: string;
}

export const SYSTEM_WORKER: Actor = { type: 'system', id: 'submission-worker', role: null };
export const PURPOSE = 'pension-proof-of-life';

/** How a record names who acted (recorded_by, withdrawn_by, placed_by): `type:id(role)`. */
export function actorLabel(actor: Actor): string {
  return `${actor.type}:${actor.id ?? 'unknown'}${actor.role ? `(${actor.role})` : ''}`;
}
