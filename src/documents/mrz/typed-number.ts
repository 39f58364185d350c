/**
 * A typed document number as the deciding reading of an MRZ number. The English OCR model confuses some OCR-B
 * characters (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B), and some swaps leave the check digit as it was (D for 0 and 0 for D
 * at two positions of equal weight): a reading can verify and still not be the printed number. When the number a
 * person typed differs from the reading only by such confusions and verifies too, the two are the same print read
 * two ways, and the typed one is preferred over any other valid reading.
 */
import { layoutFor, slice } from './mrz-format.js';
import { parseMrz, type ParsedMrz } from './mrz-parser.js';

/** Characters the OCR takes for one another on OCR-B, one group per string. */
const CONFUSABLE_GROUPS = ['0ODQ', '1IL', '2Z', '5S', '8B'] as const;
const GROUP_OF = new Map<string, number>(CONFUSABLE_GROUPS.flatMap((g, i) => [...g].map((c) => [c, i] as const)));

/** Whether the OCR may have read one of these characters for the other. */
export const ocrConfusable = (a: string, b: string): boolean => a === b || (GROUP_OF.has(a) && GROUP_OF.get(a) === GROUP_OF.get(b));

/** The positions (line, index) of the document number's characters: the 9 principal ones and a TD1/TD2 continuation. */
function numberPositions(parsed: ParsedMrz): [number, number][] | null {
  const layout = layoutFor(parsed.lines);
  if (!layout) return null;
  const span = layout.documentNumber;
  const positions: [number, number][] = [];
  for (let i = span.start; i < span.end; i += 1) positions.push([span.line, i]);
  const checkChar = parsed.lines[span.line]![span.end];
  if (checkChar === '<' && layout.numberOverflow) {
    const o = layout.numberOverflow;
    const run = /^[A-Z0-9]+/.exec(slice(parsed.lines, o))?.[0] ?? '';
    // The run's last character is the check digit, not part of the number.
    for (let i = 0; i < run.length - 1; i += 1) positions.push([o.line, o.start + i]);
  }
  return positions;
}

/**
 * The MRZ with `typedNumber` in place of the number read, or null when it does not qualify: it must have the read
 * number's length, differ from it somewhere and only by OCR confusions, make the number's check digit verify, and
 * leave every check digit that verified as read verifying (the composite covers the number too).
 */
export function withTypedNumber(parsed: ParsedMrz, typedNumber: string): ParsedMrz | null {
  const typed = typedNumber.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const positions = numberPositions(parsed);
  if (!positions || typed.length === 0 || typed.length > positions.length) return null;
  const read = positions.map(([l, i]) => parsed.lines[l]![i]!).join('');
  // The typed number covers the read one exactly: what follows it in the field must be fillers.
  if (!/^<*$/.test(read.slice(typed.length))) return null;
  let differs = false;
  for (let k = 0; k < typed.length; k += 1) {
    if (!ocrConfusable(read[k]!, typed[k]!)) return null;
    differs ||= read[k] !== typed[k];
  }
  if (!differs) return null;
  const lines = parsed.lines.map((l) => [...l]);
  positions.slice(0, typed.length).forEach(([l, i], k) => { lines[l]![i] = typed[k]!; });
  const repaired = parseMrz(lines.map((l) => l.join('')));
  if (!repaired || repaired.checks.documentNumber !== true) return null;
  for (const [name, ok] of Object.entries(parsed.checks)) {
    if (ok && repaired.checks[name as keyof typeof parsed.checks] !== true) return null;
  }
  return repaired;
}
