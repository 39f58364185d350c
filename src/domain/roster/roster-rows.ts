/**
 * Reading a pension fund's roster one line at a time, so a file of any length is imported in bounded memory: CSV with
 * a header line (RFC 4180 quoting, no line breaks inside a field) or NDJSON (one JSON object per line).
 */

/** One roster line as read, before validation; `line` is 1-based in the file. */
export interface RosterLine {
  readonly line: number;
  readonly fields: Record<string, unknown> | null;
  /** Why the line could not be read at all (bad quoting, bad JSON, too long). */
  readonly problem?: string;
}

export type RosterFormat = 'csv' | 'ndjson';

/** Longest line read; a longer one is refused by itself (a roster row is a few hundred characters). */
export const MAX_LINE_CHARS = 4096;

/** The fields of one CSV line, or null when its quoting is broken. */
export function splitCsvLine(text: string): string[] | null {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (quoted) {
      if (c === '"' && text[k + 1] === '"') { field += '"'; k++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { out.push(field); field = ''; } else field += c;
  }
  if (quoted) return null;
  out.push(field);
  return out;
}

/** Roster lines from text lines; blank lines are skipped, the CSV header names the columns. */
export async function* rosterLines(lines: AsyncIterable<string>, format: RosterFormat): AsyncGenerator<RosterLine> {
  let header: string[] | null = null;
  let n = 0;
  for await (const raw of lines) {
    n += 1;
    const text = raw.replace(/^\uFEFF/, '').trimEnd();
    if (!text.trim()) continue;
    if (text.length > MAX_LINE_CHARS) {
      yield { line: n, fields: null, problem: `longer than ${MAX_LINE_CHARS} characters` };
      continue;
    }
    if (format === 'ndjson') {
      try {
        const value = JSON.parse(text) as unknown;
        yield value && typeof value === 'object' && !Array.isArray(value)
          ? { line: n, fields: value as Record<string, unknown> } : { line: n, fields: null, problem: 'not a JSON object' };
      } catch {
        yield { line: n, fields: null, problem: 'not valid JSON' };
      }
      continue;
    }
    const cells = splitCsvLine(text);
    if (!header) {
      header = cells?.map((c) => c.trim()) ?? [];
      continue;
    }
    if (!cells) yield { line: n, fields: null, problem: 'broken quoting' };
    else yield { line: n, fields: Object.fromEntries(header.map((name, k) => [name, cells[k]?.trim() ?? ''])) };
  }
}
