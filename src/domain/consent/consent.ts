import { z } from 'zod';

export const LANGUAGES = ['tg', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CHANNELS = ['mobile-app-signature', 'e-signature', 'paper-scan'] as const;
export type ConsentChannel = (typeof CHANNELS)[number];

/** What a consent covers. Enrolment needs both; a verification compares with a kept template, so it too. */
export const consentScopeSchema = z.object({
  biometricProcessing: z.boolean(),
  referenceTemplate: z.boolean(),
  /** Storage term the subject agreed to for their template, in days; absent = until withdrawn. */
  storageTermDays: z.number().int().positive().max(36_500).optional(),
}).strict();

export type ConsentScope = z.infer<typeof consentScopeSchema>;
export type ScopeNeed = 'biometricProcessing' | 'referenceTemplate';

/** A versioned, immutable consent text in one language. */
export interface ConsentText {
  readonly id: string;
  readonly version: string;
  readonly language: Language;
  readonly purpose: string;
  readonly body: string;
  readonly contentSha256: string;
}

/** A consent as recorded (Art. 17: text version, signature evidence, time). */
export interface Consent {
  readonly id: string;
  readonly subjectId: string;
  readonly textId: string;
  readonly textVersion: string;
  readonly language: Language;
  readonly purpose: string;
  /** SHA-256 of the exact text the subject was shown (the consent text's content hash). */
  readonly textSha256: string;
  readonly scope: ConsentScope;
  readonly channel: ConsentChannel;
  readonly witness: string | null;
  readonly evidenceSha256: string;
  readonly deviceId: string | null;
  readonly ip: string | null;
  readonly signedAt: Date;
  readonly recordedAt: Date;
  readonly recordedBy: string;
  readonly status: 'active' | 'withdrawn';
  readonly withdrawnAt: Date | null;
  readonly withdrawnBy: string | null;
  readonly withdrawalReason: string | null;
  /** How the withdrawal was confirmed: the phone's selfie matched by the worker, or the operator's identity check. */
  readonly withdrawalConfirmation: WithdrawalConfirmation | null;
  /** How the recording was confirmed; null for consents recorded before recordings were confirmed. */
  readonly confirmation: RecordingConfirmation | null;
  /** The selfie that confirmed the recording, as retention holds it (its own timer); null without one. */
  readonly confirmationSelfie: { readonly deleteAt: Date | null; readonly deletedAt: Date | null } | null;
}

/** A consent as written: what the ledger derives on reading (text version, language and hash, the selfie's timer) left out. */
export type NewConsent = Omit<Consent,
  'textVersion' | 'language' | 'textSha256' | 'withdrawnAt' | 'withdrawnBy' | 'withdrawalReason' | 'withdrawalConfirmation' | 'confirmationSelfie'
> & { readonly evidenceBlobKey: string };

/** A phone's consent waiting for the worker's decision on its selfie: what the consent will say once it is matched. */
export interface ConsentRecordRequest {
  readonly submissionId: string;
  readonly subjectId: string;
  readonly textId: string;
  readonly purpose: string;
  readonly scope: ConsentScope;
  readonly channel: Exclude<ConsentChannel, 'paper-scan'>;
  readonly evidenceBlobKey: string;
  readonly evidenceSha256: string;
  readonly deviceId: string | null;
  readonly ip: string | null;
  readonly signedAt: Date;
  /** The acting credential, as the audit trail names it (JSON of the actor). */
  readonly requestedBy: string;
  readonly createdAt: Date;
}

/** The phone's selfie (its submission, decision and score) or, at the office, the check the operator made. */
export type WithdrawalConfirmation =
  | { readonly method: 'selfie'; readonly submissionId: string; readonly decision: string; readonly score: number | null }
  | { readonly method: 'identity-check'; readonly identityCheck: string };

/**
 * How a consent's recording was confirmed: as a withdrawal is (the phone's selfie, or the operator's identity check),
 * or, for a consent a phone records before the subject is enrolled, pending the enrolment that follows it: there is
 * no reference yet to match a selfie with, so that enrolment's selfie, matched with the document, confirms it.
 */
export type RecordingConfirmation =
  | WithdrawalConfirmation
  | { readonly method: 'enrolment-pending' };

/** The identity checks an operator records when a pensioner consents or withdraws at the office. */
export const IDENTITY_CHECKS = ['passport-seen', 'id-card-seen', 'known-in-person', 'power-of-attorney'] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

export function covers(consent: Consent, needs: readonly ScopeNeed[], purpose: string): boolean {
  return consent.status === 'active' && consent.purpose === purpose && needs.every((n) => consent.scope[n]);
}

/**
 * A subject's consent as the API shows it to the phone and the office. A phone's first consent covers the enrolment
 * that follows it but is not yet confirmed by the pensioner's face, so it reads `pending-confirmation`, not `active`,
 * until that enrolment's decision settles it (docs/SECURITY.md). Consents from before recordings were confirmed
 * (`confirmation: null`) stay `active`. Coverage (`covers`) does not depend on this.
 */
export const SUBJECT_CONSENT_STATES = ['active', 'pending-confirmation', 'withdrawn', 'none'] as const;
export type SubjectConsentState = (typeof SUBJECT_CONSENT_STATES)[number];

export function subjectConsentState(consents: readonly Consent[]): SubjectConsentState {
  const inForce = consents.filter((c) => c.status === 'active');
  if (inForce.some((c) => c.confirmation?.method !== 'enrolment-pending')) return 'active';
  if (inForce.length) return 'pending-confirmation';
  return consents.length ? 'withdrawn' : 'none';
}

/** A phone's withdrawal waiting for the worker's decision on its selfie. */
export interface WithdrawalRequest {
  readonly submissionId: string;
  readonly subjectId: string;
  readonly consentId: string;
  readonly reason: string;
  /** The acting credential as a JSON-encoded audit actor (`{ type: 'device', id, role }`), so the refusal or the withdrawal is audited as the phone's. */
  readonly requestedBy: string;
  readonly createdAt: Date;
}
