import type {
  Consent, ConsentRecordRequest, ConsentText, Language, NewConsent, RecordingConfirmation, WithdrawalConfirmation, WithdrawalRequest,
} from '../../../src/domain/consent/consent.js';
import type { ConsentRepository } from '../../../src/domain/consent/consent-ports.js';

/** A consent as the ledger holds it: as written, plus how it ended. */
export type LedgerRow = NewConsent & Pick<Consent, 'withdrawnAt' | 'withdrawnBy' | 'withdrawalReason' | 'withdrawalConfirmation'>;

/** A phone's consent request and how the worker settled it (`consentId` null: refused); `settled` null while open. */
export interface RecordRequestRow { readonly request: ConsentRecordRequest; settled: { at: Date; consentId: string | null } | null }

/** A phone's withdrawal request and how the worker settled it; `settled` null while open. */
export interface WithdrawalRequestRow { readonly request: WithdrawalRequest; settled: { at: Date; carriedOut: boolean } | null }

/**
 * The whole consent ledger in memory. `texts` are in publication order (the last of a language is its newest). The
 * selfie that confirmed a recording keeps its timer in the retention ledger, which this double does not join: a
 * consent confirmed by a selfie shows that selfie's timer as unset.
 */
export class InMemoryConsentLedger implements ConsentRepository {
  readonly texts: ConsentText[];
  readonly rows: LedgerRow[] = [];
  readonly recordRequests: RecordRequestRow[] = [];
  readonly withdrawalRequests: WithdrawalRequestRow[] = [];

  constructor(texts: readonly ConsentText[] = []) {
    this.texts = [...texts];
  }

  async latestTexts(language?: Language): Promise<ConsentText[]> {
    const newest = new Map<Language, ConsentText>();
    for (const t of this.texts) if (!language || t.language === language) newest.set(t.language, t);
    return [...newest.values()].sort((a, b) => a.language.localeCompare(b.language));
  }

  async findText(version: string, language: string): Promise<ConsentText | null> {
    return this.texts.find((t) => t.version === version && t.language === language) ?? null;
  }

  async insert(consent: NewConsent): Promise<void> {
    this.rows.push({ ...consent, withdrawnAt: null, withdrawnBy: null, withdrawalReason: null, withdrawalConfirmation: null });
  }

  async settlePendingConfirmation(
    subjectId: string, confirmation: RecordingConfirmation, ended: { at: Date; by: string; reason: string } | null,
  ): Promise<string[]> {
    return this.update((r) => r.subjectId === subjectId && r.status === 'active' && r.confirmation?.method === 'enrolment-pending', () => ({
      confirmation, ...(ended ? { status: 'withdrawn' as const, withdrawnAt: ended.at, withdrawnBy: ended.by, withdrawalReason: ended.reason } : {}),
    }));
  }

  async insertRecordRequest(request: ConsentRecordRequest): Promise<void> {
    this.recordRequests.push({ request, settled: null });
  }

  async findOpenRecordRequest(submissionId: string): Promise<ConsentRecordRequest | null> {
    return open(this.recordRequests, submissionId)?.request ?? null;
  }

  async settleRecordRequest(submissionId: string, at: Date, consentId: string | null): Promise<boolean> {
    const r = open(this.recordRequests, submissionId);
    if (r) r.settled = { at, consentId };
    return r !== undefined;
  }

  async listForSubject(subjectId: string): Promise<Consent[]> {
    return this.rows.filter((r) => r.subjectId === subjectId).sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())
      .flatMap((r) => this.read(r));
  }

  async findById(subjectId: string, id: string): Promise<Consent | null> {
    const r = this.rows.find((x) => x.subjectId === subjectId && x.id === id);
    return (r && this.read(r)[0]) ?? null;
  }

  async withdraw(
    subjectId: string, ids: readonly string[] | 'all', at: Date, by: string, reason: string, confirmation: WithdrawalConfirmation | null = null,
  ): Promise<string[]> {
    return this.update((r) => r.subjectId === subjectId && r.status === 'active' && (ids === 'all' || ids.includes(r.id)), () => ({
      status: 'withdrawn', withdrawnAt: at, withdrawnBy: by, withdrawalReason: reason, withdrawalConfirmation: confirmation,
    }));
  }

  async insertWithdrawalRequest(request: WithdrawalRequest): Promise<void> {
    this.withdrawalRequests.push({ request, settled: null });
  }

  async settleWithdrawalRequest(submissionId: string, at: Date, carriedOut: boolean): Promise<WithdrawalRequest | null> {
    const r = open(this.withdrawalRequests, submissionId);
    if (r) r.settled = { at, carriedOut };
    return r?.request ?? null;
  }

  /** The row as a consent, with what storage joins from its text; none when the text is missing (as the join drops it). */
  private read(r: LedgerRow): Consent[] {
    const text = this.texts.find((t) => t.id === r.textId);
    if (!text) return [];
    const { evidenceBlobKey: _key, ...consent } = r;
    return [{
      ...consent, textVersion: text.version, language: text.language, textSha256: text.contentSha256,
      confirmationSelfie: r.confirmation?.method === 'selfie' ? { deleteAt: null, deletedAt: null } : null,
    }];
  }

  /** Changes the rows that match; returns their ids. */
  private update(match: (r: LedgerRow) => boolean, change: (r: LedgerRow) => Partial<LedgerRow>): string[] {
    const changed: string[] = [];
    this.rows.forEach((r, i) => {
      if (!match(r)) return;
      this.rows[i] = { ...r, ...change(r) };
      changed.push(r.id);
    });
    return changed;
  }
}

function open<T extends { request: { submissionId: string }; settled: object | null }>(rows: readonly T[], submissionId: string): T | undefined {
  return rows.find((r) => r.request.submissionId === submissionId && !r.settled);
}
