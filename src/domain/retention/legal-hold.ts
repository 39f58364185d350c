/** A legal hold: while active, nothing of the subject is purged (e.g. a court case). */
export interface LegalHold {
  readonly id: string;
  readonly subjectId: string;
  readonly reason: string;
  readonly placedBy: string;
  readonly placedAt: Date;
  readonly releasedAt: Date | null;
  readonly releasedBy: string | null;
}
