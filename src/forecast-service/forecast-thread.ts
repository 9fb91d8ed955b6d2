/**
 * The caller's side of a forecast thread (forecast.worker.ts): fitting, choosing a model by backtest and
 * scoring backtests is seconds to minutes of CPU. On the serving thread, even in steps with other requests
 * served between them, single steps held every request, alert intake included, for up to 11 s on the
 * Chicago demo (a 1-month auto forecast on 500 ft cells; a backtest 2.7 s per step). It runs on a thread of
 * its own at lower CPU priority. One idle thread is kept for the next run (a thread start loads the
 * forecaster's modules); runs take turns (store/work-queue.ts), so one or two threads are ever busy.
 * For an SQLite file the thread reads the incidents itself (forecast-inputs.ts); otherwise they are copied to
 * it (structured clone, O(incidents) on the caller).
 */
import { rebuildThreadError, type SerializedError } from '../store/import-thread';
import { reusableThreads } from '../store/reusable-threads';
import type { ForecastTask, Step } from './forecast-compute';
import type { IncidentRead } from './forecast-inputs';

/** The task, and where the thread reads its incidents when the task does not carry them (forecast-inputs.ts). */
export type ToForecastThread = { task: ForecastTask; read?: IncidentRead };
export type FromForecastThread =
  { t: 'step'; step: Step } | { t: 'done'; result: unknown } | { t: 'failed'; error: SerializedError };

const run = reusableThreads(new URL('./forecast-worker.boot.mjs', import.meta.url), 1);

/** Run `task` on a forecast thread, reporting each step; resolves with what the compute function returns. */
export function onForecastThread<T>(
  task: ForecastTask,
  onStep: (s: Step) => void = () => undefined,
  read?: IncidentRead,
): Promise<T> {
  return run<T, FromForecastThread>(
    { task, read } satisfies ToForecastThread,
    (m, settle) => {
      if (m.t === 'step') onStep(m.step);
      else if (m.t === 'done') settle.done(m.result as T);
      else settle.failed(rebuildThreadError(m.error));
    },
    (why) => new Error(`the forecast thread stopped (${why})`),
  );
}
