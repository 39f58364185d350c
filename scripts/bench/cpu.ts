/**
 * CPU accounting from /proc, so that every table can say whether something else was using the machine while it
 * was measured (on a shared 2-core box, other work easily doubles the figures). Linux only; elsewhere zeros.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system, all threads) used so far by a process and every live descendant, plus the children
 * they have already reaped; 0 where /proc is unavailable. Descendants count because a worker may fork (a pool).
 */
export function processTreeCpuSeconds(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat) stats.set(Number(entry), stat);
    }
  } catch {
    return 0;
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { ppid }] of stats) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of inTree) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks / CLOCK_TICKS;
}

/**
 * CPU seconds used so far by every live process whose command name (/proc/<pid>/comm) is one of `names`, with the
 * children they have reaped: e.g. the PostgreSQL and Redis servers a run talks to (their other clients included).
 */
export function namedProcessesCpuSeconds(names: readonly string[]): number {
  let ticks = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let comm: string;
      try {
        comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (names.includes(comm)) ticks += readStat(Number(entry))?.ticks ?? 0;
    }
  } catch {
    return 0;
  }
  return ticks / CLOCK_TICKS;
}

/** Parent pid and utime + stime + cutime + cstime of one process, or null once it has gone. */
function readStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, may hold spaces): ppid is field 4, utime..cstime 14-17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return { ppid: fields[1] ?? 0, ticks: (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0) };
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine (every core, every process) so far, from /proc/stat; 0 where unavailable. */
export function machineBusySeconds(): number {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const ticks = cpu!.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return (ticks.reduce((a, b) => a + b, 0) - idle) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds this process (all its threads) has used so far. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** CPU used over an interval: by the processes being measured, and by the whole machine. */
export interface CpuShare {
  readonly measured: number;
  readonly machine: number;
  readonly wallS: number;
}

/**
 * A one-line account of an interval's CPU, with a warning when other processes took more than a quarter of
 * the machine: the figures above it are then inflated by contention, not by the code under test.
 */
export function contentionNote(share: CpuShare, what: string): string {
  const capacity = share.wallS * os.availableParallelism();
  if (share.machine <= 0 || capacity <= 0) return '';
  const other = Math.max(0, share.machine - share.measured);
  const line = `CPU over ${share.wallS.toFixed(1)} s: ${what} ${share.measured.toFixed(1)} s, other processes ${other.toFixed(1)} s, ` +
    `machine ${Math.round((100 * share.machine) / capacity)} % busy.`;
  return other > capacity / 4
    ? `${line} **Warning: other processes used ${Math.round((100 * other) / capacity)} % of the machine meanwhile; these figures are inflated by contention.**`
    : line;
}
