import { readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by this process's main thread, the one serving requests in a test server
 * (Linux: /proc/self/task/<pid>/stat, utime + stime, in USER_HZ = 100 ticks a second).
 */
export function servingThreadCpuSeconds(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used so far by this whole process, every thread. */
export function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * The serving thread's share of the process's CPU while `work` runs: a measure a loaded machine does not
 * move, unlike a wall-clock stall (work done on the serving thread shows as a share near 1, work on a
 * thread of its own as a small one).
 */
export async function servingThreadShare<T>(work: () => Promise<T>): Promise<{ result: T; share: number }> {
  const thread0 = servingThreadCpuSeconds();
  const process0 = processCpuSeconds();
  const result = await work();
  const share = (servingThreadCpuSeconds() - thread0) / Math.max(1e-9, processCpuSeconds() - process0);
  return { result, share };
}
