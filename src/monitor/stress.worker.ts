/** A stress-test thread (started by stress-thread.ts, one per test): the feedback-loop simulation off the serving thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { stressTestForecaster } from '../fairness';
import { serializeError } from '../store/import-thread';
import { yieldCpuToRequests } from '../store/thread-priority';
import { forecasterRiskModel } from './stress-test';
import type { FromStressThread, StressTask } from './stress-thread';

yieldCpuToRequests();

const send = (m: FromStressThread) => parentPort!.postMessage(m);
const task = workerData as StressTask;
try {
  const model = forecasterRiskModel(task.params, task.city.trueRates.length);
  send({ t: 'done', verdict: stressTestForecaster(model, task.city, task.options) });
} catch (e) {
  send({ t: 'failed', error: serializeError(e) });
}
