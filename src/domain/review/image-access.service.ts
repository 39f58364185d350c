import { AppError, NotFoundError } from '../../shared/errors.js';
import type { AccessMonitor } from '../audit/access-monitor.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ImageAccessPorts } from './review-ports.js';

export interface ImageAccessDeps {
  readonly uow: UnitOfWork<ImageAccessPorts>;
  readonly vault: BiometricVault;
  readonly audit: AuditService;
  readonly monitor: AccessMonitor;
}

/**
 * A person looking at a face: decrypted only for an authorised view, every view audited (who, which
 * image, which case, when) and watched for unusual volume.
 */
export class ImageAccessService {
  constructor(private readonly deps: ImageAccessDeps) {}

  /** Opens one image of a submission: 'selfie', 'document' or a challenge frame 'frame-NN'. */
  async view(submissionId: string, role: string, actor: Actor): Promise<Buffer> {
    const { uow, vault, audit, monitor } = this.deps;
    const submission = await uow.ports.submissions.findById(submissionId);
    if (!submission) throw new NotFoundError('SUBMISSION_NOT_FOUND', `No submission with id "${submissionId}".`);
    const item = (await uow.ports.items.listForSubmission(submissionId)).find((i) => i.role === role && i.blobKey);
    if (!item) throw new NotFoundError('IMAGE_NOT_FOUND', `This submission has no ${role} image.`);
    if (item.deletedAt) throw new AppError('IMAGE_DELETED', 'The image has been deleted under the retention policy.', 410);
    const image = await vault.getImage(submission.subjectId, item.blobKey!);
    if (!image) throw new AppError('IMAGE_DELETED', 'The image has been deleted under the retention policy.', 410);
    await audit.record({
      actor, action: 'image.viewed', purpose: PURPOSE, subjectId: submission.subjectId, targetType: item.itemClass,
      targetId: item.id, outcome: 'success', details: { submissionId },
    });
    await monitor.afterImageView(actor);
    return image;
  }
}
