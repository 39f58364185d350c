import { isMrzDate } from '../mrz/mrz-plausibility.js';

/**
 * The calendar date an MRZ's YYMMDD stands for. The century is a judgement: a birth date is the latest one not in
 * the future (pensioners are old, but nobody is born after `now`), an expiry date the one nearest to `now` (within
 * 50 years either side). Null for fillers or an impossible date.
 */
export function mrzDateToIso(yymmdd: string, kind: 'birth' | 'expiry', now: Date): string | null {
  if (!isMrzDate(yymmdd) || yymmdd.includes('<')) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const nowYear = now.getUTCFullYear();
  let year: number;
  if (kind === 'birth') {
    year = Math.floor(nowYear / 100) * 100 + yy;
    if (`${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}` > now.toISOString().slice(0, 10)) year -= 100;
  } else {
    year = Math.floor(nowYear / 100) * 100 + yy;
    if (year > nowYear + 50) year -= 100;
    else if (year < nowYear - 50) year += 100;
  }
  const iso = `${String(year).padStart(4, '0')}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(iso)) return null;
  return iso;
}

/** YYMMDD of an ISO date (YYYY-MM-DD), as an MRZ prints it. */
export const isoToMrzDate = (iso: string): string => `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;

/** Whether a document whose last valid day is `expiryIso` has expired on `now` (UTC calendar days). */
export function isExpired(expiryIso: string, now: Date): boolean {
  return expiryIso < now.toISOString().slice(0, 10);
}
