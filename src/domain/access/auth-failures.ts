/**
 * Refused authentications, counted per source and minute (migration 009) rather than written one audit row each:
 * the audit trail is append-only for good, and nobody without a key may grow it.
 */
export interface AuthFailureRepository {
  /** Adds one failure of `source` to the minute that holds `at`; returns that minute's count after it. */
  add(source: string, at: Date): Promise<number>;
}

/** The storage counting refused authentications needs. */
export interface AuthFailurePorts {
  readonly authFailures: AuthFailureRepository;
}

/** The counting window: one row per source per minute at most. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/** Start of the window that holds `at`. */
export const authFailureWindow = (at: Date): Date => new Date(Math.floor(at.getTime() / AUTH_FAILURE_WINDOW_MS) * AUTH_FAILURE_WINDOW_MS);
