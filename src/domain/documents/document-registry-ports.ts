/**
 * The document registry's storage: which document numbers (as keyed hashes) and which document photos (as perceptual
 * fingerprints) each subject presented at enrolment, to find the same document under another subject.
 */
/** One stored document number of a subject: keyed hashes only (HMAC, see KeyRing.keyedHash), never the number. */
export interface DocumentNumberRow {
  readonly source: 'typed' | 'mrz';
  readonly numberHash: string;
  /** Keyed hash of the issuing state, or null when it is not known. */
  readonly issuerHash: string | null;
}

/** The fingerprint of one enrolment document photo, tied to the stored image it was taken from. */
export interface DocumentFingerprintRow {
  readonly documentItemId: string;
  readonly subjectId: string;
  readonly submissionId: string;
  /** Hashes as hex: the page (64 bits), and the region around its portrait (256 bits). */
  readonly pageHash: string;
  readonly portraitHash: string;
  /** Hashed upright (the MRZ told how the page lay); false: as photographed. */
  readonly upright: boolean;
  readonly createdAt: Date;
}

/** A fingerprint of another subject close to the one searched for. */
export interface FingerprintMatch {
  readonly subjectId: string;
  readonly submissionId: string;
  readonly portraitBits: number;
  readonly pageBits: number;
}

/**
 * The registry as storage keeps it (src/storage/repositories/document-registry.repository.ts). Rows go with the
 * subject's erasure; fingerprints also with the document image they came from.
 */
export interface DocumentRegistryRepository {
  /** Replaces the subject's numbers with these (the latest enrolment's document is the one they hold). */
  replaceNumbers(subjectId: string, rows: readonly DocumentNumberRow[], at: Date): Promise<void>;
  /**
   * Other subjects, not erased, holding one of these numbers from the same issuer (or where either issuer is
   * unknown). Closed subjects count: a dead pensioner's passport presented by someone else is the case to catch.
   */
  otherHolders(subjectId: string, numberHashes: readonly string[], issuerHash: string | null): Promise<string[]>;
  /**
   * The live document image of the subject's enrolment: the one named, else the enrolment being processed now
   * (latest started). Null when there is none (already purged).
   */
  enrolmentDocumentItem(subjectId: string, submissionId?: string): Promise<{ id: string; submissionId: string } | null>;
  /** Idempotent per document image: a re-run replaces its fingerprint. */
  insertFingerprint(f: DocumentFingerprintRow): Promise<void>;
  /**
   * Other subjects' (not erased) document fingerprints within both distances (bits), closest portrait first, one per
   * subject. `turns[0]` is the photo as hashed, the others the same turned a quarter at a time: a stored upright
   * fingerprint is compared with turn 0 only when this photo is upright too, anything else in every turn.
   */
  similarFingerprints(
    subjectId: string, turns: readonly { pageHash: string; portraitHash: string }[], upright: boolean,
    maxBits: { portrait: number; page: number }, limit?: number,
  ): Promise<FingerprintMatch[]>;
  /** Retention: the fingerprint goes with the document image it describes. */
  deleteFingerprintOfItem(documentItemId: string): Promise<void>;
  /** Erasure: nothing of the subject's documents stays findable. */
  deleteForSubject(subjectId: string): Promise<{ numbers: number; fingerprints: number }>;
}

/** What the registry check reaches. */
export interface DocumentRegistryPorts {
  readonly documentRegistry: Pick<DocumentRegistryRepository, 'replaceNumbers' | 'otherHolders' | 'enrolmentDocumentItem' | 'insertFingerprint' | 'similarFingerprints'>;
}
