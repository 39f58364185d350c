import { addDays } from '../../shared/clock.js';
import type { ItemClass } from './stored-item.js';

/** How long one class of data is kept, and why we may keep it that long. */
export interface RetentionRule {
  readonly policy: string;
  readonly itemClass: ItemClass;
  /** Legal basis shown to the subject and in the submission answer (Law on Personal Data, Art. 14, 20). */
  readonly legalBasis: string;
  readonly term: { readonly kind: 'days_after_decision'; readonly days: number } | { readonly kind: 'until_event'; readonly condition: string };
}

export interface RetentionSettings {
  readonly imagesDays: number;
  readonly resultsDays: number;
}

/** Scheduled deletion of one item. */
export interface RetentionTimer {
  readonly policy: string;
  readonly deleteAt: Date | null;
  readonly deleteCondition: string | null;
}

export const TEMPLATE_CONDITION = 'consent_withdrawn_or_subject_closed';

/** The retention policy in force, built from configuration. */
export function retentionRules(settings: RetentionSettings): Readonly<Record<ItemClass, RetentionRule>> {
  const images = (itemClass: ItemClass): RetentionRule => ({
    policy: `images-${settings.imagesDays}d-after-decision`,
    itemClass,
    legalBasis: 'Consent (Art. 17); kept only until the check is decided and can be reviewed (Art. 14)',
    term: { kind: 'days_after_decision', days: settings.imagesDays },
  });
  return {
    selfie_image: images('selfie_image'),
    document_image: images('document_image'),
    reference_template: {
      policy: 'template-until-consent-withdrawn',
      itemClass: 'reference_template',
      legalBasis: 'Consent (Art. 17); needed for every periodic proof of life until consent ends (Art. 11, 20)',
      term: { kind: 'until_event', condition: TEMPLATE_CONDITION },
    },
    result: {
      policy: `results-${settings.resultsDays}d`,
      itemClass: 'result',
      legalBasis: 'Pension payment records: the decision, without images or templates (Art. 14)',
      term: { kind: 'days_after_decision', days: settings.resultsDays },
    },
  };
}

/**
 * The timer for an item. `decidedAt` is the decision time, or, before there is one, the upload
 * time: an image whose check never finishes is still deleted on a known date.
 */
export function timerFor(rule: RetentionRule, decidedAt: Date): RetentionTimer {
  if (rule.term.kind === 'until_event') {
    return { policy: rule.policy, deleteAt: null, deleteCondition: rule.term.condition };
  }
  return { policy: rule.policy, deleteAt: addDays(decidedAt, rule.term.days), deleteCondition: null };
}
