/**
 * The caller's side of a forecast thread (forecast.worker.ts): fitting, choosing a model by backtest and
 * scoring backtests is seconds to minutes of CPU. On the serving thread, even in steps with other requests
 * served between them, single steps held every request, alert intake included, for up to 11 s on the
 * Chicago demo (a 1-month auto forecast on 500 ft cells; a backtest 2.7 s per step). It runs on a thread of
 * its own at lower CPU priority. One idle thread is kept for the next run (a thread start loads the
 * forecaster's modules); runs take turns (store/work-queue.ts), so one or two threads are ever busy.
 * The incidents are copied to the thread (structured clone, O(incidents) on the caller).
 */
import { Worker } from 'node:worker_threads';
import { rebuildThreadError, type SerializedError } from '../store/import-thread';
import type { ForecastTask, Step } from './forecast-compute';

export type ToForecastThread = { task: ForecastTask };
export type FromForecastThread =
  { t: 'step'; step: Step } | { t: 'done'; result: unknown } | { t: 'failed'; error: SerializedError };

const idle: Worker[] = [];
const MAX_IDLE = 1;

/** Run `task` on a forecast thread, reporting each step; resolves with what the compute function returns. */
export function onForecastThread<T>(task: ForecastTask, onStep: (s: Step) => void = () => undefined): Promise<T> {
  const worker = idle.pop() ?? new Worker(new URL('./forecast-worker.boot.mjs', import.meta.url));
  worker.ref();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, result?: T, reusable = false) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable && idle.length < MAX_IDLE) {
        worker.unref();
        idle.push(worker);
      } else void worker.terminate();
      if (err) reject(err);
      else resolve(result as T);
    };
    const onMessage = (m: FromForecastThread) => {
      if (m.t === 'step') onStep(m.step);
      else if (m.t === 'done') finish(undefined, m.result as T, true);
      else finish(rebuildThreadError(m.error), undefined, true);
    };
    const onError = (e: unknown) => finish(e);
    const onExit = (code: number) => finish(new Error(`the forecast thread stopped (exit code ${code})`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ task } satisfies ToForecastThread);
  });
}
