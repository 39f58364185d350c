/** Summary statistics and Markdown tables for the benchmark's printed figures. */

/** Median, 95th percentile, min and max of a sample (milliseconds unless said otherwise). */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * Summarises a non-empty sample. The median averages the two middle values of an even sample; p95 is the
 * nearest-rank percentile (the smallest value with at least 95 % of the sample at or below it), so with
 * fewer than 20 values it is the maximum.
 */
export function summarise(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarise: empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (i: number) => sorted[Math.min(sorted.length - 1, Math.max(0, i))] as number;
  const mid = sorted.length / 2;
  return {
    n: sorted.length,
    median: sorted.length % 2 ? at(Math.floor(mid)) : (at(mid - 1) + at(mid)) / 2,
    p95: at(Math.ceil(0.95 * sorted.length) - 1),
    min: at(0),
    max: at(sorted.length - 1),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** A duration in ms, with enough decimals that sub-millisecond stages (compare) still read. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

/** A plain number with a fixed number of decimals; a dash when absent. */
export function num(value: number | null | undefined, decimals = 2): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(decimals);
}

/** A GitHub-flavoured Markdown table: the first `numericFrom` columns left-aligned (labels), the rest right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], numericFrom = 1): string {
  const align = headers.map((_, i) => (i >= numericFrom ? '---:' : ':---'));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(align), ...rows.map(line)].join('\n');
}
