/** The header printed above the figures: what machine and what build produced them. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import sharp from 'sharp';
import type { EngineInfo } from '../../src/engine/face-engine.js';

/** One "label: value" line per fact, in print order. */
export type MachineFacts = ReadonlyArray<readonly [string, string]>;

/** `engine` null: the caller names the engine in `extra` (it runs in other processes). */
export function describeMachine(engine: EngineInfo | null, extra: MachineFacts = []): MachineFacts {
  const [one, five] = os.loadavg();
  return [
    ['CPU', `${cpuModel()} (${os.arch()})`],
    ['cores', `${os.availableParallelism()} available to Node (${os.cpus().length} online)`],
    ['memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['load average at start', `${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min)`],
    ['OS', `${os.type()} ${os.release()}`],
    ['node', process.version],
    ...(engine ? [['engine', `${engine.name} ${engine.version}, model ${engine.model}, detector ${engine.detector}`] as const, ['tfjs backend', engine.backend] as const] : []),
    ['sharp / libvips', `${sharp.versions.sharp ?? '?'} / ${sharp.versions.vips}`],
    ['git commit', gitCommit()],
    ['date', new Date().toISOString()],
    ...extra,
  ];
}

export function machineMarkdown(facts: MachineFacts): string {
  return facts.map(([label, value]) => `- **${label}**: ${value}`).join('\n');
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => /^model name\s*:/.test(l));
    if (line) return line.replace(/^model name\s*:\s*/, '').trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** Short hash of HEAD, marked when the working tree has uncommitted changes (the figures then describe those). */
function gitCommit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return dirty ? `${hash} (+ uncommitted changes)` : hash;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
