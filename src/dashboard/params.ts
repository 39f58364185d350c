/** A trimmed, non-empty query or form value, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** A YYYY-MM-DD filter value as the start of that day (UTC), shifted by `plusMs` (the end of a range). */
export const day = (d?: string, plusMs = 0): Date | undefined =>
  (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(Date.parse(`${d}T00:00:00Z`) + plusMs) : undefined);
