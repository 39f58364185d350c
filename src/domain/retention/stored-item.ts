/** Classes of stored data, each with its own retention policy. */
export type ItemClass = 'selfie_image' | 'document_image' | 'liveness_frame' | 'reference_template' | 'result';

/** One entry of the retention ledger: something we hold and when it goes. */
export interface StoredItem {
  readonly id: string;
  readonly subjectId: string;
  readonly submissionId: string | null;
  readonly itemClass: ItemClass;
  /** Which upload an image item is ("selfie", "document"). */
  readonly role: string | null;
  readonly blobKey: string | null;
  readonly templateId: string | null;
  readonly policy: string;
  /** The promised deletion time; null while deletion waits for an event (see deleteCondition). */
  readonly deleteAt: Date | null;
  readonly deleteCondition: string | null;
  readonly createdAt: Date;
  readonly deletedAt: Date | null;
}
