/**
 * Progress for long runs: a redrawn bar on a terminal, a plain line every 10 % (or minute) otherwise, so that
 * logs of background runs stay readable. Writes to the given stream (stderr), keeping stdout for results.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export class Progress {
  private done = 0;
  private cached = 0;
  private computeMs = 0;
  private readonly started = Date.now();
  private lastLine = 0;
  private lastDecile = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
  ) {
    this.lastLine = now();
  }

  /** One image finished; `ms` is its processing time, or undefined when it came from the cache. */
  tick(ms?: number): void {
    this.done++;
    if (ms === undefined) this.cached++;
    else this.computeMs += ms;
    this.render(false);
  }

  finish(): void {
    this.render(true);
  }

  /** The status text, e.g. "lfw  1200/3811  31%  3 cached  152 ms/img  ETA 6m37s". */
  line(): string {
    const computed = this.done - this.cached;
    const msPerImage = computed ? this.computeMs / computed : 0;
    const remaining = Math.max(0, this.total - this.done);
    const eta = computed ? formatDuration(remaining * msPerImage) : '?';
    const pct = this.total ? Math.floor((100 * this.done) / this.total) : 100;
    return `${this.label}  ${this.done}/${this.total}  ${pct}%  ${this.cached} cached  ${Math.round(msPerImage)} ms/img  ETA ${eta}`;
  }

  private render(final: boolean): void {
    if (this.stream.isTTY) {
      const width = 30;
      const filled = this.total ? Math.round((width * this.done) / this.total) : width;
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.line()}\u001b[K${final ? '\n' : ''}`);
      return;
    }
    const decile = this.total ? Math.floor((10 * this.done) / this.total) : 10;
    const now = this.now();
    // The last tick is left to finish(), which adds the total time.
    if (final || (this.done < this.total && (decile > this.lastDecile || now - this.lastLine > 60_000))) {
      this.lastDecile = decile;
      this.lastLine = now;
      this.stream.write(`${this.line()}${final ? `  done in ${formatDuration(Date.now() - this.started)}` : ''}\n`);
    }
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
