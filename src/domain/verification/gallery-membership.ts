import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { GalleryPorts } from './verification-ports.js';

/** A proof-of-life selfie that has just become an active reference, and who let it in. */
export interface GalleryJoin {
  readonly subjectId: string;
  readonly submissionId: string;
  readonly joinedId: string;
  readonly model: string;
  /** GALLERY_MAX_RECENT: proof-of-life references kept beside the anchors. */
  readonly maxRecent: number;
  /** The worker for a machine-verified selfie, the reviewer for one approved as a reference. */
  readonly actor: Actor;
  readonly at: Date;
}

/**
 * A proof-of-life selfie joined the gallery: audited, and the oldest proof-of-life references beyond
 * `maxRecent` leave it (embedding deleted at once, ledger entry closed, audited). The anchors never leave this way.
 * Runs inside the caller's transaction, on its ports.
 */
export async function keepGalleryBounded(audit: AuditService, repos: GalleryPorts, join: GalleryJoin): Promise<void> {
  await audit.record({
    actor: join.actor, action: 'template.joined-gallery', purpose: PURPOSE, subjectId: join.subjectId,
    targetType: 'reference_template', targetId: join.joinedId, outcome: 'success', details: { submissionId: join.submissionId },
  }, repos);
  const recent = (await repos.templates.findActive(join.subjectId, join.model)).filter((t) => t.origin === 'verification');
  for (const old of recent.slice(join.maxRecent)) {
    if (!(await repos.templates.retire(old.id, join.at))) continue;
    const item = await repos.items.findForTemplate(old.id);
    if (item) await repos.items.markDeleted(item.id, join.at);
    await audit.record({
      actor: join.actor, action: 'template.retired', purpose: PURPOSE, subjectId: join.subjectId,
      targetType: 'reference_template', targetId: old.id, outcome: 'success',
      details: { reason: 'GALLERY_FULL', joined: join.joinedId, takenAt: old.createdAt.toISOString(), maxRecent: join.maxRecent },
    }, repos);
  }
}
