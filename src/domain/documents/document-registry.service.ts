/**
 * The same identity document under two subjects: its number (as keyed hashes) or its photo (as perceptual
 * fingerprints) already presented for another pensioner. Either sends the enrolment to a person, never rejects it:
 * spouses photograph each other's documents by mistake, and an office may re-register a person under a new record.
 * The answer says how many other subjects, never which: a reviewer finds them through the office's own records.
 */
import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { DocumentKeys } from './document-keys.js';
import type { DocumentRegistryPorts, FingerprintMatch } from './document-registry-ports.js';

/** Fingerprints of one document photo (src/documents/image/document-fingerprint.ts). */
export interface DocumentPhoto {
  /** The page was turned upright (by its MRZ) before hashing; false: hashed as photographed. */
  readonly upright: boolean;
  /** 64-bit dHashes (16 hex digits) of the page and of its portrait region: as hashed first, then turned 90, 180, 270. */
  readonly turns: readonly { readonly pageHash: string; readonly portraitHash: string }[];
}

/** When two document photos count as the same picture: both distances (bits of 64) at most these. */
export interface DocumentReusePolicy {
  readonly maxPortraitBits: number;
  readonly maxPageBits: number;
}

export interface RegistryInput {
  readonly subjectId: string;
  /** The enrolment whose document this is; absent: the subject's enrolment being processed now. */
  readonly submissionId?: string;
  readonly keys: DocumentKeys;
  /** Null when the page shows no portrait: then the photo is not compared (nothing tells pages of one design apart). */
  readonly photo: DocumentPhoto | null;
}

/** What the registry found. Counts only. */
export interface RegistryFindings {
  readonly reasons: readonly ('DOCUMENT_NUMBER_ENROLLED_ELSEWHERE' | 'DOCUMENT_IMAGE_REUSED')[];
  /** Other subjects holding a document with this number and issuer. */
  readonly numberHolders: number;
  /** Other subjects who submitted this document photo; `closestBits`: portrait distance of the closest. */
  readonly imageMatches: number;
  readonly closestBits: number | null;
}

/** Hashes values with the office key of a purpose (BiometricVault.blindIndex). */
export interface BlindIndex {
  blindIndex(purpose: string, value: string): Promise<string>;
}

export const NUMBER_INDEX = 'document-number';
export const ISSUER_INDEX = 'document-issuer';

export interface DocumentRegistryDeps {
  readonly uow: UnitOfWork<DocumentRegistryPorts>;
  readonly index: BlindIndex;
  readonly clock: Clock;
  readonly policy: DocumentReusePolicy;
}

export class DocumentRegistry {
  constructor(private readonly deps: DocumentRegistryDeps) {}

  /** Records the subject's document and compares it with every other subject's. Idempotent for a retried job. */
  async checkAndRecord(input: RegistryInput): Promise<RegistryFindings> {
    const { uow, index, clock, policy } = this.deps;
    const repo = uow.ports.documentRegistry;
    const numbers = await Promise.all(input.keys.numbers.map(async (n) => ({
      source: n.source, numberHash: await index.blindIndex(NUMBER_INDEX, n.number),
    })));
    const issuerHash = input.keys.issuer ? await index.blindIndex(ISSUER_INDEX, input.keys.issuer) : null;
    await repo.replaceNumbers(input.subjectId, numbers.map((n) => ({ ...n, issuerHash })), clock.now());
    const holders = await repo.otherHolders(input.subjectId, numbers.map((n) => n.numberHash), issuerHash);

    let matches: FingerprintMatch[] = [];
    if (input.photo) {
      const { upright, turns } = input.photo;
      matches = await repo.similarFingerprints(input.subjectId, turns, upright, { portrait: policy.maxPortraitBits, page: policy.maxPageBits });
      const item = await repo.enrolmentDocumentItem(input.subjectId, input.submissionId);
      const asHashed = turns[0];
      if (item && asHashed) {
        await repo.insertFingerprint({
          documentItemId: item.id, subjectId: input.subjectId, submissionId: item.submissionId, upright,
          pageHash: asHashed.pageHash, portraitHash: asHashed.portraitHash, createdAt: clock.now(),
        });
      }
    }
    const imageSubjects = new Set(matches.map((m) => m.subjectId));
    return {
      reasons: [
        ...(holders.length > 0 ? ['DOCUMENT_NUMBER_ENROLLED_ELSEWHERE' as const] : []),
        ...(imageSubjects.size > 0 ? ['DOCUMENT_IMAGE_REUSED' as const] : []),
      ],
      numberHolders: holders.length,
      imageMatches: imageSubjects.size,
      closestBits: matches[0]?.portraitBits ?? null,
    };
  }
}
