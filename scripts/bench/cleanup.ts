/**
 * Undo steps for everything the benchmark creates (worker processes, the throw-away database, queue keys),
 * run in reverse order on success, on failure and on Ctrl-C / SIGTERM.
 */

type Step = { readonly name: string; readonly run: () => unknown };

/** How long one undo step may take before the next one is tried anyway. */
const STEP_TIMEOUT_MS = 40_000;

export class Cleanup {
  private steps: Step[] = [];
  private running: Promise<void> | null = null;
  /** Set once a signal started the cleanup: errors of the interrupted work are then expected, not failures. */
  interrupted = false;

  constructor(private readonly log: (message: string) => void) {}

  /** Registers an undo step; returns a function that runs it now (once) and unregisters it. */
  add(name: string, run: () => unknown): () => Promise<void> {
    const step: Step = { name, run };
    this.steps.push(step);
    return async () => {
      if (!this.steps.includes(step)) return;
      this.steps = this.steps.filter((s) => s !== step);
      await step.run();
    };
  }

  /** Runs every registered step, newest first; a failing step is reported and the rest still run. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          await withTimeout(Promise.resolve().then(step.run), STEP_TIMEOUT_MS, step.name);
        } catch (error) {
          this.log(`cleanup: ${step.name} failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }

  /** Names of the steps not yet run, for the message printed if the user insists on quitting mid-cleanup. */
  pending(): string[] {
    return this.steps.map((s) => s.name);
  }

  /** On SIGINT/SIGTERM: clean up, then exit 130/143. A second signal quits at once, saying what was left behind. */
  exitOnSignals(): void {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      process.on(signal, () => {
        if (this.running) {
          this.log(`${signal} again: quitting without finishing cleanup; left: ${this.pending().join(', ') || 'nothing'}`);
          process.exit(code);
        }
        this.interrupted = true;
        this.log(`${signal}: stopping workers and dropping the benchmark database...`);
        void this.runAll().then(() => process.exit(code));
      });
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The frame of a measuring script: parse the arguments (usage on error or --help), run in the repository root with
 * a cleanup that also runs on Ctrl-C, and turn the outcome into an exit code.
 */
export async function runScript<A>(opts: {
  argv: string[]; usage: string; repoRoot: string; log: (message: string) => void;
  parse: (argv: string[]) => A | null;
  run: (args: A, cleanup: Cleanup) => Promise<number>;
}): Promise<number> {
  let args: A | null;
  try {
    args = opts.parse(opts.argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${opts.usage}\n`);
    return 2;
  }
  if (!args) {
    process.stdout.write(`${opts.usage}\n`);
    return 0;
  }
  process.chdir(opts.repoRoot);
  const cleanup = new Cleanup(opts.log);
  cleanup.exitOnSignals();
  try {
    return await opts.run(args, cleanup);
  } catch (error) {
    // After Ctrl-C the cleanup closes what the interrupted work was using; its errors are no news.
    if (!cleanup.interrupted) opts.log(`FAILED: ${(error as Error).stack ?? String(error)}`);
    return 1;
  } finally {
    opts.log('cleaning up...');
    await cleanup.runAll();
  }
}
