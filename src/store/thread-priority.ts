import { setPriority } from 'node:os';

/**
 * Lower the calling thread's CPU priority (nice 10; Linux nice values are per thread, 0 = the calling
 * thread), so a server's requests, alert intake first, run before this thread's work when cores are busy.
 * Where that is not permitted the thread runs at normal priority.
 */
export function yieldCpuToRequests(nice = 10): void {
  try {
    setPriority(0, nice);
  } catch {
    /* not permitted here: run at normal priority */
  }
}
