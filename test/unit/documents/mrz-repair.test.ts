import { describe, expect, it } from 'vitest';
import { MRZ_LAYOUTS, type MrzLayout } from '../../../src/documents/mrz/mrz-format.js';
import { repairMrz, type ReadChar } from '../../../src/documents/mrz/mrz-repair.js';
import { ICAO_TD1, ICAO_TD3, RAHIMOV, td3 } from './mrz-fixtures.js';

/** An OCR reading of `lines` with characters replaced: `edits` maps "line:index" to what the OCR saw. */
function misread(lines: readonly string[], edits: Record<string, string> = {}, confidence = 0.9): ReadChar[][] {
  return lines.map((line, li) => [...line].map((char, ci) => ({ char: edits[`${li}:${ci}`] ?? char, confidence })));
}

const repair = (read: ReadChar[][], layout: MrzLayout = MRZ_LAYOUTS.TD3) => repairMrz(read, layout)!;

describe('MRZ repair of OCR readings', () => {
  it('keeps a clean reading as it is', () => {
    const r = repair(misread(ICAO_TD3));
    expect(r.parsed.lines).toEqual(ICAO_TD3);
    expect(r.substitutions).toBe(0);
  });

  it('turns letters read in date and check-digit positions into their digit twins', () => {
    // 740812 read as 74O8I2, expiry check 9 read as g-like S... (S -> 5 would break it: only O and I here)
    const r = repair(misread(ICAO_TD3, { '1:15': 'O', '1:17': 'I' }));
    expect(r.parsed.lines).toEqual(ICAO_TD3);
    expect(r.parsed.valid).toBe(true);
  });

  it('restores the fillers of the name field that the English model reads as K, L or C', () => {
    const edits: Record<string, string> = {};
    for (let i = 26; i < 44; i += 1) edits[`0:${i}`] = i % 3 === 0 ? 'K' : i % 3 === 1 ? 'L' : 'C';
    const r = repair(misread(ICAO_TD3, edits));
    expect(r.parsed.lines[0]).toBe(ICAO_TD3[0]);
    expect(r.parsed.fields.givenNames).toBe('ANNA MARIA');
  });

  it('lets the check digits choose between look-alikes in a document number (0/O/D, 8/B, 5/S)', () => {
    const [l1, l2] = td3({ ...RAHIMOV, number: 'ZE000509' }) as [string, string];
    const r = repair(misread([l1, l2], { '1:2': 'D', '1:3': 'O', '1:4': 'D', '1:5': 'S' }));
    expect(r.parsed.fields.documentNumber).toBe('ZE000509');
    expect(r.parsed.valid).toBe(true);
  });

  it('corrects a state code one look-alike letter away from a valid one, or with one unread letter', () => {
    const r = repair(misread(td3(RAHIMOV), { '0:2': 'I', '1:10': '?' }));
    expect(r.parsed.fields.issuingState).toBe('TJK');
    expect(r.parsed.fields.nationality).toBe('TJK');
  });

  it('fills unread positions covered by check digits', () => {
    const r = repair(misread(ICAO_TD3, { '1:3': '?' }, 0.9));
    expect(r.parsed.lines[1]).toBe(ICAO_TD3[1]);
  });

  it('does not "repair" a document whose digits are really wrong into a valid one', () => {
    // Two confident digits of the birth date changed: no cheap look-alike set makes them verify.
    const bad = [ICAO_TD3[0]!, ICAO_TD3[1]!.replace('7408122', '7309122')];
    const r = repair(misread(bad, {}, 0.97));
    expect(r.parsed.lines[1]).toBe(bad[1]);
    expect(r.parsed.checks.dateOfBirth).toBe(false);
  });

  it('repairs a TD1 card and its composite digit', () => {
    const r = repair(misread(ICAO_TD1, { '1:2': 'O', '0:10': 'S' }), MRZ_LAYOUTS.TD1);
    expect(r.parsed.lines).toEqual(ICAO_TD1);
  });

  it('returns null for a reading that does not have the layout shape', () => {
    expect(repairMrz(misread([ICAO_TD3[0]!]), MRZ_LAYOUTS.TD3)).toBeNull();
  });
});
