import { correctStateCode } from './country-codes.js';
import type { MrzLayout } from './mrz-format.js';
import { candidatesFor, constraintsOf, decodeChecked, fitsClass, type Candidates, type Pos } from './mrz-decoder.js';
import { parseMrz, type ParsedMrz } from './mrz-parser.js';

/** A character as read (`?` where nothing was read), with the reader's certainty (0-1). */
export interface ReadChar {
  readonly char: string;
  readonly confidence: number;
  /** The cell's picture (see glyphAt), when the reading came from an image. */
  readonly glyph?: Float32Array;
}

/** An MRZ reading after repair. */
export interface RepairedMrz {
  readonly parsed: ParsedMrz;
  /** Positions whose character was changed from what was read. */
  readonly substitutions: number;
  /** Mean certainty of the characters, 0-1 (a changed character counts as half sure). */
  readonly meanConfidence: number;
  /** Another reading that satisfies the check digits was almost as plausible: the choice is a guess. */
  readonly ambiguous: boolean;
}

const TO_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B', '4': 'A', '7': 'T' };
const FILLER_LIKE = new Set(['K', 'L', 'C', '<']);
/** A runner-up within this cost of the best reading makes the reading ambiguous. */
const AMBIGUITY_MARGIN = 0.25;
/**
 * Most a repair may cost: a few letter/digit twins, or one confident character changed. Beyond it the reading is
 * kept as it is and its failing check digits are reported (a document whose digits really are wrong must not be
 * "repaired" into a valid one).
 */
const MAX_REPAIR_COST = 1.2;

// The first letter of a document code is P, I, A, C or V; these are what the OCR makes of them.
const DOCUMENT_LETTER: Record<string, string> = { L: 'I', J: 'I', T: 'I', '1': 'I', R: 'P', F: 'P' };

/** Letters where only letters may stand (codes, names), M/F/< for the sex. */
function conformLetters(lines: ReadChar[][], layout: MrzLayout): void {
  const first = lines[layout.documentCode.line]![layout.documentCode.start]!;
  const fixed = DOCUMENT_LETTER[first.char];
  if (fixed) lines[layout.documentCode.line]![layout.documentCode.start] = { char: fixed, confidence: first.confidence * 0.7 };
  lines.forEach((line, li) => line.forEach((cell, ci) => {
    const cls = layout.classes[li]![ci]!;
    const c = cell.char;
    if (cls === 'alpha' && TO_LETTER[c]) line[ci] = { char: TO_LETTER[c]!, confidence: cell.confidence * 0.8 };
    if (cls === 'sex' && !['M', 'F', 'X', '<', '?'].includes(c)) {
      const sex = c === 'H' || c === 'N' ? 'M' : c === 'E' || c === 'P' ? 'F' : '<';
      line[ci] = { char: sex, confidence: cell.confidence * 0.6 };
    }
  }));
}

/**
 * The name field holds the names and then fillers only: after `<<<`, or in a run of four or more filler-like
 * characters (K, L, C, <) reaching the end of the field, every character is a filler the OCR misread.
 */
function fillNameTail(lines: ReadChar[][], layout: MrzLayout): void {
  const { line, start, end } = layout.name;
  const cells = lines[line]!;
  const text = cells.slice(start, end).map((c) => c.char).join('');
  let tail = text.indexOf('<<<');
  let run = text.length;
  while (run > 0 && FILLER_LIKE.has(text[run - 1]!)) run -= 1;
  if (text.length - run >= 4) tail = tail < 0 ? run : Math.min(tail, run);
  if (tail < 0) return;
  for (let i = start + tail; i < end; i += 1) {
    if (cells[i]!.char !== '<') cells[i] = { char: '<', confidence: Math.min(cells[i]!.confidence, 0.7) };
  }
}

/** Issuing state and nationality corrected to a valid code when one look-alike letter away (fillers kept). */
function correctStateCodes(lines: ReadChar[][], layout: MrzLayout): void {
  for (const s of [layout.issuingState, layout.nationality]) {
    const cells = lines[s.line]!.slice(s.start, s.end);
    const read = cells.map((c) => c.char).join('');
    const code = read.replace(/<+$/, '');
    if (!/^[A-Z?]+$/.test(code)) continue;
    const fixed = correctStateCode(code);
    if (fixed === code) continue;
    for (let i = 0; i < fixed.length; i += 1) {
      if (fixed[i] !== code[i]) lines[s.line]![s.start + i] = { char: fixed[i]!, confidence: cells[i]!.confidence * 0.7 };
    }
  }
}

/** How strongly glyph likeness moves a candidate's cost (per unit of similarity). */
const GLYPH_WEIGHT = 0.6;
/** A glyph this close to a known character's is offered as a candidate even if the OCR never suggested it. */
const GLYPH_OFFER = 0.78;

type Exemplars = Map<string, { glyph: Float32Array; key: string }[]>;

/**
 * Glyphs of characters the page itself vouches for: digits read where only digits stand (dates, check digits),
 * letters read where only letters stand (codes, names), fillers read as fillers, all read with some certainty.
 * The same document prints every character alike, so an unsure cell is compared with these.
 */
function collectExemplars(lines: readonly (readonly ReadChar[])[], layout: MrzLayout): Exemplars {
  const out: Exemplars = new Map();
  lines.forEach((line, li) => line.forEach((cell, ci) => {
    if (!cell.glyph || cell.confidence < 0.75) return;
    const cls = layout.classes[li]![ci]!;
    const c = cell.char;
    const trusted = c === '<' || (cls === 'digit' && /[0-9]/.test(c)) || (cls === 'alpha' && /[A-Z]/.test(c));
    if (!trusted) return;
    out.set(c, [...(out.get(c) ?? []), { glyph: cell.glyph, key: `${li}:${ci}` }]);
  }));
  return out;
}

function similarityTo(exemplars: Exemplars, char: string, glyph: Float32Array, key: string): number | null {
  let best: number | null = null;
  for (const e of exemplars.get(char) ?? []) {
    if (e.key === key) continue;
    let dot = 0;
    for (let i = 0; i < glyph.length; i += 1) dot += glyph[i]! * e.glyph[i]!;
    if (best === null || dot > best) best = dot;
  }
  return best;
}

/**
 * Candidate costs moved by how much the cell's glyph looks like the page's own prints of each candidate: a
 * candidate the glyph clearly resembles more than what the OCR said becomes cheap (even one the OCR never
 * suggested), the others pay for the likeness they lack.
 */
function withGlyphEvidence(base: Candidates, cell: ReadChar, key: string, exemplars: Exemplars, fitsClass: (c: string) => boolean): Candidates {
  if (!cell.glyph) return base;
  const glyph = cell.glyph;
  const pool = new Map(base.map((c) => [c.char, c.cost]));
  for (const char of exemplars.keys()) if (!pool.has(char) && fitsClass(char)) pool.set(char, Infinity);
  const sims = new Map<string, number | null>([...pool.keys()].map((c) => [c, similarityTo(exemplars, c, glyph, key)]));
  const known = [...sims.values()].filter((v): v is number => v !== null);
  if (known.length === 0) return base;
  const ref = Math.max(...known);
  const asRead = sims.get(cell.char) ?? null;
  const out: { char: string; cost: number }[] = [];
  for (const [char, cost] of pool) {
    const sim = sims.get(char) ?? null;
    let c = cost;
    if (sim !== null && sim >= GLYPH_OFFER && char !== cell.char && (asRead === null || sim >= asRead + 0.05)) c = Math.min(c, 0.1);
    if (!Number.isFinite(c)) continue;
    const penalty = sim === null ? Math.max(0, ref - 0.75) : ref - sim;
    out.push({ char, cost: c + GLYPH_WEIGHT * penalty });
  }
  return out;
}

const textOf = (lines: readonly (readonly ReadChar[])[]) => lines.map((l) => l.map((c) => c.char).join(''));

/**
 * Turns a raw reading into the most plausible MRZ of a given layout. Codes and names are forced to letters and
 * the name field's trailing fillers restored; every position covered by a check digit is then decoded jointly
 * (see {@link decodeChecked}): the cheapest set of look-alike substitutions under which all check digits verify,
 * the composite included. When no such set exists each field is decoded on its own and the failing digits stay
 * failing. Returns null when the reading does not have the layout's shape.
 */
export function repairMrz(read: readonly (readonly ReadChar[])[], layout: MrzLayout): RepairedMrz | null {
  if (read.length !== layout.lines || read.some((l) => l.length !== layout.length)) return null;
  const lines = read.map((l) => [...l]);
  conformLetters(lines, layout);
  fillNameTail(lines, layout);
  correctStateCodes(lines, layout);
  const { fields, composite, overflowFiller } = constraintsOf(layout, textOf(lines));

  // Per position: is it in the document number, does that read mostly as digits, does it lead it (series letters)?
  const context = new Map<string, { digitField: boolean; leadingLetter: boolean; inNumber: boolean }>();
  const numberField = fields.find((f) => f.positions[0]?.line === layout.documentNumber.line && f.positions[0]?.index === layout.documentNumber.start);
  if (numberField) {
    const chars = numberField.positions.map((p) => lines[p.line]![p.index]!.char);
    const meaningful = chars.filter((c) => c !== '<' && c !== '?');
    const digits = meaningful.filter((c) => /[0-9OQD]/.test(c)).length;
    numberField.positions.forEach((p, i) => {
      const leadingLetter = i < 2 && chars.slice(0, i + 1).every((c) => /[A-Z]/.test(c));
      context.set(`${p.line}:${p.index}`, { digitField: digits * 2 >= meaningful.length, leadingLetter, inNumber: true });
    });
  }
  // Candidates come from the reading as it stands now, before any position is changed below.
  const asRead = lines.map((l) => [...l]);
  const exemplars = collectExemplars(asRead, layout);
  const memo = new Map<string, Candidates>();
  const candidates = (p: Pos): Candidates => {
    const key = `${p.line}:${p.index}`;
    const cached = memo.get(key);
    if (cached) return cached;
    let out: Candidates;
    if (overflowFiller && p.line === overflowFiller.line && p.index === overflowFiller.index) out = [{ char: '<', cost: 0 }];
    else {
      const cell = asRead[p.line]![p.index]!;
      const cls = layout.classes[p.line]![p.index]!;
      const ctx = context.get(key) ?? { digitField: false, leadingLetter: false };
      const base = candidatesFor(cell.char, cell.confidence, { cls, ...ctx });
      out = withGlyphEvidence(base, cell, key, exemplars, (c) => fitsClass(c, cls));
    }
    memo.set(key, out);
    return out;
  };

  // A character read where its class cannot stand (a letter among digits) first becomes its cheapest candidate,
  // so that a field no repair can save still reads as close to the page as possible.
  for (const f of [...fields, ...(composite ? [composite] : [])]) {
    for (const p of [...f.positions, f.at]) {
      const cell = asRead[p.line]![p.index]!;
      if (cell.char === '?' || fitsClass(cell.char, layout.classes[p.line]![p.index]!)) continue;
      const best = [...candidates(p)].sort((a, b) => a.cost - b.cost)[0];
      if (best) lines[p.line]![p.index] = { char: best.char, confidence: cell.confidence * 0.8 };
    }
  }
  let ambiguous = false;
  const apply = (chars: ReadonlyMap<string, string>) => {
    for (const [k, c] of chars) {
      const [li, ci] = k.split(':').map(Number) as [number, number];
      const cell = asRead[li]![ci]!;
      if (cell.char !== c) lines[li]![ci] = { char: c, confidence: cell.char === '?' ? 0.3 : cell.confidence * 0.5 };
      else lines[li]![ci] = cell;
    }
  };
  const joint = decodeChecked(candidates, fields, composite);
  if (joint && joint.cost <= MAX_REPAIR_COST) {
    apply(joint.chars);
    ambiguous = joint.runnerUpCost - joint.cost < AMBIGUITY_MARGIN;
  } else {
    for (const field of fields) {
      const one = decodeChecked(candidates, [field], null);
      if (!one || one.cost > MAX_REPAIR_COST) continue;
      apply(one.chars);
      ambiguous ||= one.runnerUpCost - one.cost < AMBIGUITY_MARGIN;
    }
  }
  // Whatever is still unread counts as a filler: the check digits then say whether that was right.
  for (const l of lines) for (let i = 0; i < l.length; i += 1) if (l[i]!.char === '?') l[i] = { char: '<', confidence: 0 };

  const parsed = parseMrz(textOf(lines));
  if (!parsed) return null;
  let substitutions = 0;
  read.forEach((l, li) => l.forEach((c, ci) => { if (c.char !== lines[li]![ci]!.char) substitutions += 1; }));
  const all = lines.flat();
  return { parsed, substitutions, meanConfidence: all.reduce((s, c) => s + c.confidence, 0) / all.length, ambiguous };
}
