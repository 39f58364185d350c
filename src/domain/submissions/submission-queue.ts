/** Hands a stored submission to the workers. Implemented over BullMQ in src/queue. */
export interface SubmissionQueue {
  /** Idempotent: enqueuing the same submission twice yields one job. */
  enqueue(submissionId: string): Promise<void>;
}
