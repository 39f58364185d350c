import { HOUR_MS } from '../../shared/clock.js';
import type { ItemClass } from './stored-item.js';

/** How long one class of data is kept, and why we may keep it that long. */
export interface RetentionRule {
  readonly policy: string;
  readonly itemClass: ItemClass;
  /** Legal basis shown to the subject and in the submission answer (Law on Personal Data, Art. 14, 20). */
  readonly legalBasis: string;
  readonly term:
    | { readonly kind: 'after_decision'; readonly ms: number }
    | { readonly kind: 'until_event'; readonly condition: string; readonly maxMs: number | null };
}

/** The retention policy's settings, from configuration. */
export interface RetentionSettings {
  /** Raw selfie and document images, after the final decision. */
  readonly imagesDays: number;
  /** Decisions and scores (no biometric content), after the decision. */
  readonly resultsDays: number;
  /** Liveness challenge frames: the shortest term. */
  readonly livenessFrameHours?: number;
  /** Longest a reference template may be kept even with consent in force; null = no maximum. */
  readonly templateMaxDays?: number | null;
}

/** Scheduled deletion of one item. */
export interface RetentionTimer {
  readonly policy: string;
  readonly deleteAt: Date | null;
  readonly deleteCondition: string | null;
}

export const TEMPLATE_CONDITION = 'consent_withdrawn_or_subject_closed';
/** A reference template replaced by a model upgrade: its embedding stays for the batch's grace period, then goes. */
export const SUPERSEDED_TEMPLATE_POLICY = 'template-superseded';
/** Policies that replace the configured ones for an item, and are never recomputed from configuration. */
export const EVENT_POLICIES = new Set(['consent-withdrawn', 'erasure', SUPERSEDED_TEMPLATE_POLICY]);

/** The retention policy in force, built from configuration. */
export function retentionRules(settings: RetentionSettings): Readonly<Record<ItemClass, RetentionRule>> {
  const images = (itemClass: ItemClass): RetentionRule => ({
    policy: `images-${settings.imagesDays}d-after-decision`,
    itemClass,
    legalBasis: 'Consent (Art. 17); kept only until the check is decided and can be reviewed (Art. 14)',
    term: { kind: 'after_decision', ms: settings.imagesDays * 24 * HOUR_MS },
  });
  const frameHours = settings.livenessFrameHours ?? 24;
  const templateMax = settings.templateMaxDays ?? null;
  return {
    selfie_image: images('selfie_image'),
    document_image: images('document_image'),
    liveness_frame: {
      policy: `liveness-frames-${frameHours}h`,
      itemClass: 'liveness_frame',
      legalBasis: 'Consent (Art. 17); needed only to check that the person was live at the moment (Art. 14)',
      term: { kind: 'after_decision', ms: frameHours * HOUR_MS },
    },
    reference_template: {
      policy: templateMax ? `template-until-consent-withdrawn-max-${templateMax}d` : 'template-until-consent-withdrawn',
      itemClass: 'reference_template',
      legalBasis: 'Consent (Art. 17); needed for every periodic proof of life until consent ends (Art. 11, 20)',
      term: { kind: 'until_event', condition: TEMPLATE_CONDITION, maxMs: templateMax ? templateMax * 24 * HOUR_MS : null },
    },
    result: {
      policy: `results-${settings.resultsDays}d`,
      itemClass: 'result',
      legalBasis: 'Pension payment records: the decision, without images or templates (Art. 14)',
      term: { kind: 'after_decision', ms: settings.resultsDays * 24 * HOUR_MS },
    },
  };
}

/**
 * The timer for an item. `decidedAt` is the decision time, or, before there is one, the upload
 * time: an image whose check never finishes is still deleted on a known date.
 */
export function timerFor(rule: RetentionRule, decidedAt: Date): RetentionTimer {
  if (rule.term.kind === 'until_event') {
    const deleteAt = rule.term.maxMs ? new Date(decidedAt.getTime() + rule.term.maxMs) : null;
    return { policy: rule.policy, deleteAt, deleteCondition: rule.term.condition };
  }
  return { policy: rule.policy, deleteAt: new Date(decidedAt.getTime() + rule.term.ms), deleteCondition: null };
}

