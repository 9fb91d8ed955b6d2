/**
 * A planning thread (started by plan-thread.ts, one per plan): runs the fair mission planner or its
 * trade-off curve off the request-serving thread and sends the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fairnessTradeoff, planFairMissions } from '../fairness';
import { serializeError } from '../store/import-thread';
import type { FromPlanThread, PlanTask } from './plan-thread';
import { yieldCpuToRequests } from '../store/thread-priority';

// A server's requests come first: this thread takes the CPU they leave (Linux nice values are per thread).
yieldCpuToRequests();

const send = (m: FromPlanThread) => parentPort!.postMessage(m);
const task = workerData as PlanTask;
try {
  send({
    t: 'done',
    result: task.kind === 'plan' ? planFairMissions(task.input, task.band) : fairnessTradeoff(task.input),
  });
} catch (e) {
  send({ t: 'failed', error: serializeError(e) });
}
