/**
 * Reference templates: the sealed face embeddings a subject is compared with. `active` ones are in use;
 * `pending_review` ones wait for a reviewer's word on the enrolment; a model upgrade `supersedes` them; consent
 * withdrawn or erasure `withdraws` them; a newer proof-of-life reference `retires` one.
 */
export type TemplateStatus = 'active' | 'pending_review' | 'superseded' | 'withdrawn' | 'retired';

/**
 * Where a reference came from: the enrolment's document portrait or selfie (the anchors), or the selfie of a
 * proof of life that joined the gallery. Read from the submission it was taken from, so that a model upgrade's
 * re-extracted reference keeps its origin.
 */
export type ReferenceOrigin = 'document' | 'enrollment' | 'verification';

/** A reference template; the embedding stays sealed until the comparison needs it. */
export interface StoredTemplate {
  readonly id: string;
  readonly subjectId: string;
  readonly submissionId: string;
  readonly source: 'selfie' | 'document';
  readonly model: string;
  readonly modelVersion: string;
  readonly status: TemplateStatus;
  readonly sealedEmbedding: Buffer;
  readonly faceScore: number;
  readonly createdAt: Date;
}

/** A live reference with its origin, as the gallery compares it. */
export interface GalleryReference extends StoredTemplate {
  readonly origin: ReferenceOrigin;
}
