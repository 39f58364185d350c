import { ValidationError } from '../../shared/errors.js';
import { PURPOSE } from '../audit/audit-entry.js';
import type { ConsentChannel, ConsentText } from './consent.js';

/** What a consent states that the ledger checks before recording it, or before queueing a phone's selfie for it. */
export interface ConsentStatement {
  readonly textVersion: string;
  readonly language: string;
  readonly purpose: string;
  readonly channel: ConsentChannel;
  readonly witness?: string;
  readonly signedAt: Date;
}

const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_SIGNATURE_AGE_MS = 30 * 24 * 3600_000;

/**
 * Refuses what the ledger must not record (Art. 17): a text version it does not hold, another purpose, a paper form
 * without its witness, a signing time in the future or older than 30 days. Returns the text the subject signed.
 */
export function checkConsentStatement(text: ConsentText | null, input: ConsentStatement, now: Date): ConsentText {
  if (!text) throw new ValidationError('CONSENT_TEXT_UNKNOWN', `No consent text version "${input.textVersion}" in "${input.language}".`);
  if (input.purpose !== PURPOSE || input.purpose !== text.purpose) {
    throw new ValidationError('PURPOSE_NOT_ALLOWED', `Consent can only be recorded for the purpose "${PURPOSE}".`);
  }
  if (input.channel === 'paper-scan' && !input.witness) {
    throw new ValidationError('WITNESS_REQUIRED', 'A paper consent needs the operator who witnessed the signature.');
  }
  const age = now.getTime() - input.signedAt.getTime();
  if (age < -MAX_CLOCK_SKEW_MS || age > MAX_SIGNATURE_AGE_MS) {
    throw new ValidationError('SIGNED_AT_INVALID', 'signedAt must be a past time within the last 30 days.');
  }
  return text;
}
