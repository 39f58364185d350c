import { charValue } from './check-digit.js';
import type { CharClass, MrzLayout, MrzSpan } from './mrz-format.js';

/** A reading of one position: the candidates it may be, each with the cost of believing it (0 = as read). */
export type Candidates = ReadonlyArray<{ readonly char: string; readonly cost: number }>;

/** A position in an MRZ block. */
export interface Pos {
  readonly line: number;
  readonly index: number;
}

/** A run of positions covered by one check digit, with the digit's position. */
interface FieldConstraint {
  readonly positions: readonly Pos[];
  readonly at: Pos;
}

export interface Decoded {
  /** The chosen character of every position the constraints cover, keyed `line:index`. */
  readonly chars: ReadonlyMap<string, string>;
  readonly cost: number;
  /** Cost of the next-best distinct solution (Infinity when there is none): a small margin means a guess. */
  readonly runnerUpCost: number;
}

const key = (p: Pos) => `${p.line}:${p.index}`;
const WEIGHTS = [7, 3, 1] as const;
const positionsOf = (spans: readonly MrzSpan[]): Pos[] =>
  spans.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => ({ line: s.line, index: s.start + i })));

/**
 * The check-digit constraints of a layout for a given reading. A TD1/TD2 document number longer than 9 characters
 * (a filler where its check digit would be) continues in the optional data: the constraint then covers the 9
 * principal characters and that continuation, up to the first filler, whose last character is the check digit.
 */
export function constraintsOf(
  layout: MrzLayout,
  lines: readonly string[],
): { fields: FieldConstraint[]; composite: FieldConstraint | null; overflowFiller: Pos | null } {
  const fields: FieldConstraint[] = [];
  let composite: FieldConstraint | null = null;
  let overflowFiller: Pos | null = null;
  for (const check of layout.checks) {
    const at = { line: check.at.line, index: check.at.start };
    if (check.name === 'composite') {
      composite = { positions: positionsOf(check.over), at };
      continue;
    }
    if (check.name === 'documentNumber' && layout.numberOverflow && lines[at.line]?.[at.index] === '<') {
      const o = layout.numberOverflow;
      const run = /^[A-Z0-9]+/.exec((lines[o.line] ?? '').slice(o.start, o.end))?.[0] ?? '';
      if (run.length >= 1) {
        fields.push({
          positions: [...positionsOf(check.over), ...positionsOf([{ line: o.line, start: o.start, end: o.start + run.length - 1 }])],
          at: { line: o.line, index: o.start + run.length - 1 },
        });
        overflowFiller = at;
        continue;
      }
    }
    fields.push({ positions: positionsOf(check.over), at });
  }
  return { fields, composite, overflowFiller };
}

interface Entry {
  readonly cost: number;
  readonly char: string;
  readonly prev: Entry | null;
}

/**
 * Chooses, at the lowest total cost, one candidate per position such that every check digit verifies: a Viterbi
 * pass over the positions in composite order whose state is (composite sum mod 10, current field sum mod 10),
 * keeping the two best paths per state so that a close runner-up (an ambiguous reading) can be reported.
 * Returns null when no choice satisfies every constraint.
 */
export function decodeChecked(
  candidates: (p: Pos) => Candidates,
  fields: readonly FieldConstraint[],
  composite: FieldConstraint | null,
): Decoded | null {
  // Positions in order: the composite's when there is one, else each field then its digit.
  const order: Pos[] = composite ? [...composite.positions, composite.at] : fields.flatMap((f) => [...f.positions, f.at]);
  const role = new Map<string, { field: number; k: number } | { check: number }>();
  fields.forEach((f, fi) => {
    f.positions.forEach((p, k) => role.set(key(p), { field: fi, k }));
    role.set(key(f.at), { check: fi });
  });
  const compositeAt = composite ? key(composite.at) : null;

  // state = compositeSum * 10 + fieldSum
  let states = new Map<number, Entry[]>([[0, [{ cost: 0, char: '', prev: null }]]]);
  order.forEach((p, j) => {
    const next = new Map<number, Entry[]>();
    const r = role.get(key(p));
    const isCompositeCheck = compositeAt === key(p);
    for (const [state, entries] of states) {
      const comp = Math.floor(state / 10);
      const field = state % 10;
      for (const { char, cost } of candidates(p)) {
        const v = charValue(char);
        if (v < 0) continue;
        let nextField = field;
        if (r && 'field' in r) nextField = (field + WEIGHTS[r.k % 3]! * v) % 10;
        else if (r && 'check' in r) {
          if (char === '<' ? field !== 0 : v !== field) continue;
          nextField = 0;
        }
        if (isCompositeCheck && (char === '<' || v !== comp)) continue;
        const nextComp = composite ? (comp + WEIGHTS[j % 3]! * v) % 10 : 0;
        const s = nextComp * 10 + nextField;
        const list = next.get(s) ?? [];
        for (const e of entries) list.push({ cost: e.cost + cost, char, prev: e });
        list.sort((a, b) => a.cost - b.cost);
        next.set(s, list.slice(0, 2));
      }
    }
    states = next;
  });
  const finals = [...states.values()].flat().sort((a, b) => a.cost - b.cost);
  const best = finals[0];
  if (!best) return null;
  const chars = new Map<string, string>();
  let e: Entry | null = best;
  for (let j = order.length - 1; j >= 0 && e; j -= 1, e = e.prev) chars.set(key(order[j]!), e.char);
  return { chars, cost: best.cost, runnerUpCost: finals[1]?.cost ?? Infinity };
}

// Look-alikes of the generic English model on OCR-B.
const DIGIT_FOR: Record<string, string> = { O: '0', Q: '0', D: '0', U: '0', C: '0', I: '1', L: '1', J: '1', T: '7', Z: '2', S: '5', G: '6', B: '8', A: '4', E: '8' };
// Further digits a letter may have been, dearer than its twin.
const MORE_DIGITS_FOR: Record<string, string> = { T: '1', I: '7' };
const LETTER_FOR: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B', '4': 'A', '7': 'T' };
const DIGIT_SWAPS: Record<string, string> = { '0': '869', '1': '74', '2': '7', '3': '89', '4': '1', '5': '639', '6': '580', '7': '12', '8': '3609', '9': '8035' };
const ZERO_LIKE = new Set(['O', 'Q', 'D']);
// Letters that in a number of digits are most likely their digit twin (C, A, E, T... are common series letters).
const DIGIT_LIKE = new Set(['I', 'L', 'Z', 'S', 'B', 'G']);
const ALL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** Where a position stands, for the priors of {@link candidatesFor}. */
export interface PositionContext {
  readonly cls: CharClass;
  /** The field around it reads mostly as digits (zero-like letters counted as digits). */
  readonly digitField: boolean;
  /** One of the first two characters of a document number, after letters only: series letters live there. */
  readonly leadingLetter: boolean;
  /** In the document number (where look-alike letters lean to digits). */
  readonly inNumber?: boolean;
}

/**
 * Candidates of one position given what was read there (`?`: nothing) and how sure the reader was. Cheap: the
 * reading, its letter/digit twin (the English model reads OCR-B 0 as O, D or C, 5 as S, 8 as B...) and the filler
 * for K, L, C. In a field of digits a twin letter is taken for the digit unless it leads a document number. Dearer:
 * other digits that look alike, scaled by the reader's certainty. Some pairs leave every check digit unchanged
 * (L/1, G/6, U/0, K/<), so these priors, not the digits, decide them.
 */
export function candidatesFor(char: string, confidence: number, ctx: PositionContext): Candidates {
  const { cls, digitField, leadingLetter } = ctx;
  const out = new Map<string, number>();
  const add = (c: string, cost: number) => {
    if (!fitsClass(c, cls)) return;
    out.set(c, Math.min(out.get(c) ?? Infinity, cost));
  };
  if (char === '?') {
    for (const c of ALL) add(c, /[0-9]/.test(c) && (cls === 'digit' || digitField) ? 0.8 : 1);
    return [...out].map(([c, cost]) => ({ char: c, cost }));
  }
  // A digit read as another digit is the OCR's own doubt; a confident one is dearer than any repair may cost, so
  // a single wrong digit cannot be "repaired" into a valid check digit (that would make the digit meaningless).
  const doubt = 0.6 + confidence;
  const twinDigit = DIGIT_FOR[char];
  if (cls === 'alnum' && twinDigit) {
    // Only a document number leans to digits: optional data mixes letters and digits freely.
    const protectedLetter = leadingLetter && !(char === 'O' || char === 'Q');
    const preferDigit = ctx.inNumber === true && !protectedLetter && (ZERO_LIKE.has(char) || (digitField && DIGIT_LIKE.has(char)));
    add(char, preferDigit ? 0.15 : 0);
    add(twinDigit, preferDigit ? 0.05 : 0.3);
  } else {
    add(char, 0);
    if (twinDigit) add(twinDigit, 0.05);
  }
  for (const c of MORE_DIGITS_FOR[char] ?? '') add(c, 0.2 + doubt);
  if (LETTER_FOR[char]) add(LETTER_FOR[char]!, cls === 'alpha' ? 0.05 : leadingLetter ? 0.15 : digitField ? 0.5 : 0.3);
  if (char === 'K' || char === 'L' || char === 'C') add('<', cls === 'digit' ? 0.1 : 0.25);
  if (char === '<') for (const c of 'KLC') add(c, 0.5 + doubt);
  if (cls === 'digit' && !/[0-9<]/.test(char) && !twinDigit) for (const c of '0123456789<') add(c, 0.5);
  for (const c of DIGIT_SWAPS[twinDigit ?? char] ?? '') add(c, doubt);
  if (cls === 'digit' || cls === 'alnum') add('<', out.has('<') ? out.get('<')! : 0.4 + doubt);
  return [...out].map(([c, cost]) => ({ char: c, cost }));
}

/** Whether a character may stand at a position of this class. */
export function fitsClass(char: string, cls: CharClass): boolean {
  if (char === '<') return true;
  if (cls === 'digit') return char >= '0' && char <= '9';
  if (cls === 'alpha') return char >= 'A' && char <= 'Z';
  if (cls === 'sex') return char === 'M' || char === 'F' || char === 'X';
  return /^[A-Z0-9]$/.test(char);
}
