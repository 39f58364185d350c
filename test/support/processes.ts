import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Config } from '../../src/config/env.js';

/** Environment for a product process pointed at the test services. */
export function productEnv(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env, NODE_ENV: 'test', DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.redisUrl, DATA_DIR: config.dataDir,
    QUEUE_PREFIX: config.QUEUE_PREFIX, LOG_LEVEL: 'info', WORKER_PROCESSES: '1', DOCUMENT_OCR: String(config.DOCUMENT_OCR), ...extra,
  };
}

/** Starts `src/main.ts <role>` and resolves once its log shows `readyLine`. */
export function startProcess(role: 'api' | 'worker' | 'all', env: NodeJS.ProcessEnv, readyLine: string): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', role], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const proc = Object.assign(child, { output: () => out });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(readyLine)) resolve(proc);
    });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.once('exit', (code) => reject(new Error(`${role} exited (${code}) before ready: ${out.slice(-800)}`)));
  });
}

/** Runs the operator CLI; returns the last line of its output (where a created key is printed). */
export function cli(env: NodeJS.ProcessEnv, ...args: string[]): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout.trim().split('\n').at(-1)!;
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
