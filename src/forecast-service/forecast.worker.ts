/**
 * A forecast thread (started by forecast-thread.ts, reused run after run): computes a forecast, a backtest
 * or a reproduction off the request-serving thread, reporting each step; for an SQLite file it first reads
 * the incidents itself (forecast-inputs.ts).
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../store/import-thread';
import { yieldCpuToRequests } from '../store/thread-priority';
import { computeBacktest, computeForecast, computeReproduction, type Step } from './forecast-compute';
import type { FromForecastThread, ToForecastThread } from './forecast-thread';
import { readForecastIncidents } from './forecast-inputs';

yieldCpuToRequests();

const port = parentPort!;
const send = (m: FromForecastThread) => port.postMessage(m);

port.on('message', ({ task, read }: ToForecastThread) => {
  try {
    if (read) {
      const incidents = readForecastIncidents(read);
      if (task.kind === 'backtest') task.input.incidents = incidents;
      else task.incidents = incidents;
    }
    const steps: Generator<Step, unknown, void> =
      task.kind === 'forecast'
        ? computeForecast(task)
        : task.kind === 'backtest'
          ? computeBacktest(task.input)
          : computeReproduction(task);
    for (;;) {
      const s = steps.next();
      if (s.done) {
        send({ t: 'done', result: s.value });
        break;
      }
      send({ t: 'step', step: s.value });
    }
  } catch (e) {
    send({ t: 'failed', error: serializeError(e) });
  }
});
