/**
 * The idle-thread pool behind the reader and forecast threads (src/store/reusable-threads.ts): a thread is
 * reused for the next job, a thread that stops during a job rejects that job, and one that stops while idle
 * is never handed a job (before, that job waited for an answer forever).
 */
import { describe, expect, it } from 'vitest';
import { reusableThreads } from '../../../src/store/reusable-threads';

type Reply = { t: 'done'; v: number; threadId: number };
const pool = () => reusableThreads(new URL('../../support/echo-worker.mjs', import.meta.url), 1);
const job = (run: ReturnType<typeof pool>, cmd: string, v = 0) =>
  run<Reply, Reply>(
    { cmd, v },
    (m, settle) => settle.done(m),
    (why) => new Error(`stopped: ${why}`),
  );

describe('reusableThreads', () => {
  it('reuses the idle thread for the next job', async () => {
    const run = pool();
    const a = await job(run, 'echo', 1);
    const b = await job(run, 'echo', 2);
    expect([a.v, b.v]).toEqual([1, 2]);
    expect(b.threadId).toBe(a.threadId);
  });

  it('rejects the job of a thread that stops, and the next job runs on a new thread', async () => {
    const run = pool();
    await expect(job(run, 'exit')).rejects.toThrow('stopped: exit code 3');
    expect((await job(run, 'echo', 5)).v).toBe(5);
  });

  it('never hands a job to a thread that stopped while idle', async () => {
    const run = pool();
    const first = await job(run, 'echo-then-exit', 1);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the idle thread has exited by now
    const next = await Promise.race([
      job(run, 'echo', 2),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the job was never answered')), 5_000)),
    ]);
    expect(next.v).toBe(2);
    expect(next.threadId).not.toBe(first.threadId);
  });
});
