import type { AuditPorts } from '../audit/audit-ports.js';
import type { StoredItemRepository } from '../retention/retention-ports.js';
import type { TemplateRepository } from '../verification/verification-ports.js';
import type {
  Consent, ConsentRecordRequest, ConsentText, Language, NewConsent, RecordingConfirmation, WithdrawalConfirmation, WithdrawalRequest,
} from './consent.js';

/** The consent ledger: immutable texts, consent records with their evidence key, and the phone's pending requests. */
export interface ConsentRepository {
  /** The newest version of each text, in one language or all. */
  latestTexts(language?: Language): Promise<ConsentText[]>;
  findText(version: string, language: string): Promise<ConsentText | null>;
  insert(consent: NewConsent): Promise<void>;
  /**
   * Settles the subject's consents pending the enrolment that follows them: confirmed (ended null, the selfie's decision
   * kept) or ended with `ended`'s reason. The ids settled, none twice.
   */
  settlePendingConfirmation(
    subjectId: string, confirmation: RecordingConfirmation, ended: { at: Date; by: string; reason: string } | null,
  ): Promise<string[]>;
  insertRecordRequest(request: ConsentRecordRequest): Promise<void>;
  /** A phone's consent not settled yet; null when there is none or it was settled before (a re-run). */
  findOpenRecordRequest(submissionId: string): Promise<ConsentRecordRequest | null>;
  /** Settles a phone's consent request, naming the consent it became (null: refused); false if settled before. */
  settleRecordRequest(submissionId: string, at: Date, consentId: string | null): Promise<boolean>;
  listForSubject(subjectId: string): Promise<Consent[]>;
  findById(subjectId: string, id: string): Promise<Consent | null>;
  /** Marks active consents withdrawn; the ids that changed (none twice). */
  withdraw(
    subjectId: string, ids: readonly string[] | 'all', at: Date, by: string, reason: string, confirmation?: WithdrawalConfirmation | null,
  ): Promise<string[]>;
  insertWithdrawalRequest(request: WithdrawalRequest): Promise<void>;
  /** Marks an unsettled request settled and returns it; null when there is none or it was settled before (a re-run). */
  settleWithdrawalRequest(submissionId: string, at: Date, carriedOut: boolean): Promise<WithdrawalRequest | null>;
}

/** What confirming consents reads and writes in the ledger, bound to one transaction or to none. */
export interface ConsentConfirmationPorts extends AuditPorts {
  readonly consents: Pick<ConsentRepository,
    'findText' | 'insert' | 'settlePendingConfirmation' | 'findOpenRecordRequest' | 'settleRecordRequest'>;
}

/** What recording and withdrawing consent reach: the ledger, and on withdrawal the templates and the purge timers. */
export interface ConsentPorts extends AuditPorts {
  readonly consents: ConsentRepository;
  readonly templates: Pick<TemplateRepository, 'withdrawAll'>;
  readonly items: Pick<StoredItemRepository, 'scheduleBiometrics'>;
}
