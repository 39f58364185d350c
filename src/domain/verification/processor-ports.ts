import type { ConsentConfirmationPorts } from '../consent/consent-ports.js';
import type { StoredItemRepository } from '../retention/retention-ports.js';
import type { SubjectRepository } from '../subjects/subject-ports.js';
import type { SubmissionRepository } from '../submissions/submission-ports.js';
import type { GalleryPorts, MatchPorts, TemplateRepository } from './verification-ports.js';

/**
 * What recording a decision writes in one transaction: the submission's terminal state, its timers, its templates,
 * the gallery, the enrolment, and the consents a phone recorded before that enrolment.
 */
export interface OutcomePorts extends GalleryPorts, ConsentConfirmationPorts {
  readonly submissions: Pick<SubmissionRepository, 'complete'>;
  readonly templates: Pick<TemplateRepository, 'insert' | 'findActive' | 'retire'>;
  readonly items: Pick<StoredItemRepository, 'insert' | 'reschedule' | 'findForTemplate' | 'markDeleted'>;
  readonly subjects: Pick<SubjectRepository, 'markEnrolled'>;
}

/** What the submission processor reaches: the outcome's writes, and the submission, its images and the gallery read. */
export interface ProcessorPorts extends OutcomePorts, MatchPorts {
  readonly submissions: Pick<SubmissionRepository, 'complete' | 'startAttempt' | 'findById'>;
  readonly templates: Pick<TemplateRepository, 'insert' | 'findActive' | 'retire' | 'findSupersededHeld'>;
  readonly items: Pick<StoredItemRepository, 'insert' | 'reschedule' | 'findForTemplate' | 'markDeleted' | 'listForSubmission'>;
}
