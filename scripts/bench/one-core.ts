/** The frame of the per-core measurements: libvips on one thread, and the CPU the run shared the machine with. */
import sharp from 'sharp';
import { machineBusySeconds, ownCpuSeconds, type CpuShare } from './cpu.js';

/**
 * Runs `work` with libvips limited to one thread (the wasm backend is single-threaded on Node 20 already), so its
 * timings are per core; restores the thread count after, and reports this process's and the machine's CPU meanwhile.
 */
export async function onOneCore<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuShare }> {
  const threads = sharp.concurrency();
  sharp.concurrency(1);
  const start = { wall: performance.now(), own: ownCpuSeconds(), machine: machineBusySeconds() };
  try {
    const result = await work();
    const cpu = { measured: ownCpuSeconds() - start.own, machine: machineBusySeconds() - start.machine, wallS: (performance.now() - start.wall) / 1000 };
    return { result, cpu };
  } finally {
    sharp.concurrency(threads);
  }
}
