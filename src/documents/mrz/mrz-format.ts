/**
 * The machine-readable-zone layouts of ICAO Doc 9303 (8th ed.): TD1 cards (part 5), TD2 cards (part 6), TD3
 * passports (part 4) and the two machine-readable visa sizes (part 7). Positions are 0-based, `end` exclusive.
 */

/** An MRZ layout: TD1 3x30, TD2 2x36, TD3 2x44, MRV-A 2x44, MRV-B 2x36. */
export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';

/** The layouts a document can declare (visas are recognised when read but are not identity documents here). */
export const DOCUMENT_MRZ_FORMATS = ['TD1', 'TD2', 'TD3'] as const;

/** What may stand at a position: letters (and filler), digits, either, or the sex code. */
export type CharClass = 'alpha' | 'digit' | 'alnum' | 'sex';

/** Check digits this module verifies; names follow ../shared/datasets/documents/mrz_samples.json in camelCase. */
export type CheckName = 'documentNumber' | 'dateOfBirth' | 'expiryDate' | 'personalNumber' | 'composite';

export interface MrzSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface MrzCheckSpec {
  readonly name: CheckName;
  /** The characters the digit covers, in order. */
  readonly over: readonly MrzSpan[];
  /** Where the digit stands (a single position). */
  readonly at: MrzSpan;
}

export interface MrzLayout {
  readonly format: MrzFormat;
  readonly lines: number;
  readonly length: number;
  readonly documentCode: MrzSpan;
  readonly issuingState: MrzSpan;
  readonly documentNumber: MrzSpan;
  readonly nationality: MrzSpan;
  readonly dateOfBirth: MrzSpan;
  readonly sex: MrzSpan;
  readonly expiryDate: MrzSpan;
  readonly name: MrzSpan;
  /** Optional data elements (TD3: the personal number). */
  readonly optional: readonly MrzSpan[];
  /**
   * Where a document number longer than 9 characters continues (TD1, TD2): the digit after the 9 principal
   * characters is then `<` and the rest, followed by its check digit, opens this optional element.
   */
  readonly numberOverflow: MrzSpan | null;
  readonly checks: readonly MrzCheckSpec[];
  /** Character class of every position, line by line (used to repair OCR readings). */
  readonly classes: readonly (readonly CharClass[])[];
}

const span = (line: number, start: number, end: number): MrzSpan => ({ line, start, end });

interface LayoutInput extends Omit<MrzLayout, 'classes'> {
  readonly alnum: readonly MrzSpan[];
}

function layout(input: LayoutInput): MrzLayout {
  const classes: CharClass[][] = Array.from({ length: input.lines }, () => Array<CharClass>(input.length).fill('alpha'));
  const mark = (s: MrzSpan, c: CharClass) => {
    for (let i = s.start; i < s.end; i += 1) classes[s.line]![i] = c;
  };
  for (const s of input.alnum) mark(s, 'alnum');
  mark(input.dateOfBirth, 'digit');
  mark(input.expiryDate, 'digit');
  mark(input.sex, 'sex');
  for (const check of input.checks) mark(check.at, 'digit');
  const { alnum: _unused, ...rest } = input;
  return { ...rest, classes };
}

// Line 2 of TD3, MRV-A and MRV-B share their first 28 positions.
const passportLikeLine2 = {
  documentNumber: span(1, 0, 9),
  nationality: span(1, 10, 13),
  dateOfBirth: span(1, 13, 19),
  sex: span(1, 20, 21),
  expiryDate: span(1, 21, 27),
};
const passportLikeChecks: MrzCheckSpec[] = [
  { name: 'documentNumber', over: [span(1, 0, 9)], at: span(1, 9, 10) },
  { name: 'dateOfBirth', over: [span(1, 13, 19)], at: span(1, 19, 20) },
  { name: 'expiryDate', over: [span(1, 21, 27)], at: span(1, 27, 28) },
];

const TD1 = layout({
  format: 'TD1', lines: 3, length: 30,
  documentCode: span(0, 0, 2), issuingState: span(0, 2, 5), documentNumber: span(0, 5, 14),
  dateOfBirth: span(1, 0, 6), sex: span(1, 7, 8), expiryDate: span(1, 8, 14), nationality: span(1, 15, 18),
  name: span(2, 0, 30),
  optional: [span(0, 15, 30), span(1, 18, 29)],
  numberOverflow: span(0, 15, 30),
  checks: [
    { name: 'documentNumber', over: [span(0, 5, 14)], at: span(0, 14, 15) },
    { name: 'dateOfBirth', over: [span(1, 0, 6)], at: span(1, 6, 7) },
    { name: 'expiryDate', over: [span(1, 8, 14)], at: span(1, 14, 15) },
    { name: 'composite', over: [span(0, 5, 30), span(1, 0, 7), span(1, 8, 15), span(1, 18, 29)], at: span(1, 29, 30) },
  ],
  alnum: [span(0, 5, 14), span(0, 15, 30), span(1, 18, 29)],
});

const TD2 = layout({
  format: 'TD2', lines: 2, length: 36,
  documentCode: span(0, 0, 2), issuingState: span(0, 2, 5), name: span(0, 5, 36),
  ...passportLikeLine2,
  optional: [span(1, 28, 35)],
  numberOverflow: span(1, 28, 35),
  checks: [
    ...passportLikeChecks,
    { name: 'composite', over: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 35)], at: span(1, 35, 36) },
  ],
  alnum: [span(1, 0, 9), span(1, 28, 35)],
});

const TD3 = layout({
  format: 'TD3', lines: 2, length: 44,
  documentCode: span(0, 0, 2), issuingState: span(0, 2, 5), name: span(0, 5, 44),
  ...passportLikeLine2,
  optional: [span(1, 28, 42)],
  numberOverflow: null,
  checks: [
    ...passportLikeChecks,
    { name: 'personalNumber', over: [span(1, 28, 42)], at: span(1, 42, 43) },
    { name: 'composite', over: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 43)], at: span(1, 43, 44) },
  ],
  alnum: [span(1, 0, 9), span(1, 28, 42)],
});

const MRV_A = layout({
  format: 'MRV-A', lines: 2, length: 44,
  documentCode: span(0, 0, 2), issuingState: span(0, 2, 5), name: span(0, 5, 44),
  ...passportLikeLine2,
  optional: [span(1, 28, 44)],
  numberOverflow: null,
  checks: passportLikeChecks,
  alnum: [span(1, 0, 9), span(1, 28, 44)],
});

const MRV_B = layout({
  format: 'MRV-B', lines: 2, length: 36,
  documentCode: span(0, 0, 2), issuingState: span(0, 2, 5), name: span(0, 5, 36),
  ...passportLikeLine2,
  optional: [span(1, 28, 36)],
  numberOverflow: null,
  checks: passportLikeChecks,
  alnum: [span(1, 0, 9), span(1, 28, 36)],
});

export const MRZ_LAYOUTS: Readonly<Record<MrzFormat, MrzLayout>> = { TD1, TD2, TD3, 'MRV-A': MRV_A, 'MRV-B': MRV_B };

/**
 * The layout of a block of lines by its shape; a visa (document code V) is told from a TD2/TD3 by its first
 * character. Null when the shape is none of ICAO's.
 */
export function layoutFor(lines: readonly string[]): MrzLayout | null {
  const length = lines[0]?.length ?? 0;
  if (!lines.every((l) => l.length === length)) return null;
  const visa = lines[0]!.startsWith('V');
  if (lines.length === 3 && length === 30) return TD1;
  if (lines.length === 2 && length === 36) return visa ? MRV_B : TD2;
  if (lines.length === 2 && length === 44) return visa ? MRV_A : TD3;
  return null;
}

/** The characters of a span. */
export function slice(lines: readonly string[], s: MrzSpan): string {
  return (lines[s.line] ?? '').slice(s.start, s.end);
}
