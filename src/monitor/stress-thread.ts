/**
 * The caller's side of a stress-test thread (stress.worker.ts): the feedback-loop simulation runs every
 * seed for every day, fitting the forecaster each day, and grows with the request (days × seeds × reports
 * a day). On the serving thread the default test held every request, alert intake included, for 1.7 s on
 * the Chicago demo, and the largest the API accepts (730 days, 10 seeds, 200 reports a day) for more than
 * 10 minutes. It runs on a thread of its own, at lower CPU priority, one per test; the risk model (a
 * closure) is built on the thread from its parameters.
 */
import type { stressTestForecaster, SyntheticCity } from '../fairness';
import type { ModelParams } from '../forecast';
import { rebuildThreadError, type SerializedError } from '../store/import-thread';
import { oneShotThread } from '../store/reusable-threads';

export type StressVerdict = ReturnType<typeof stressTestForecaster>;
export interface StressTask {
  params: ModelParams;
  city: SyntheticCity;
  options: NonNullable<Parameters<typeof stressTestForecaster>[2]>;
}
export type FromStressThread = { t: 'done'; verdict: StressVerdict } | { t: 'failed'; error: SerializedError };

/** stressTestForecaster(forecasterRiskModel(params, regions), city, options), on a thread of its own. */
export function stressTestOnThread(task: StressTask): Promise<StressVerdict> {
  return oneShotThread<StressVerdict, FromStressThread>(
    new URL('./stress-worker.boot.mjs', import.meta.url),
    { workerData: task },
    (m, settle) => (m.t === 'done' ? settle.done(m.verdict) : settle.failed(rebuildThreadError(m.error))),
    (why) => new Error(`the stress-test thread stopped (${why})`),
  );
}
