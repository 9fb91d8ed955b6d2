import { Worker, type WorkerOptions } from 'node:worker_threads';

/** How a job's messages settle it: the thread stays for the next job after either. */
export interface JobSettle<T> {
  done(result: T): void;
  failed(error: unknown): void;
}

type OnMessage<T, M> = (m: M, settle: JobSettle<T>) => void;

/**
 * The job `worker` runs, settled by its messages through `onMessage` (a handler that throws fails the job),
 * or rejected with `stopped(why)` if the thread itself fails or stops. `release(reusable)` says what becomes
 * of the thread: reusable after the job settled by a message, not after a failure of the thread.
 */
function jobOn<T, M>(
  worker: Worker,
  onMessage: OnMessage<T, M>,
  stopped: (why: string) => Error,
  release: (reusable: boolean) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (reusable: boolean, err?: unknown, result?: T) => {
      if (settled) return;
      settled = true;
      worker.off('message', handle);
      worker.off('error', onError);
      worker.off('exit', onExit);
      release(reusable);
      if (err) reject(err);
      else resolve(result as T);
    };
    const settle: JobSettle<T> = {
      done: (result) => finish(true, undefined, result),
      failed: (error) => finish(true, error),
    };
    const handle = (m: M) => {
      try {
        onMessage(m, settle);
      } catch (e) {
        finish(true, e);
      }
    };
    const onError = (e: Error) => finish(false, stopped(e.message));
    const onExit = (code: number) => finish(false, stopped(`exit code ${code}`));
    worker.on('message', handle);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * Threads started from one worker file, one job at a time each, an idle one kept for the next job (a start
 * loads the worker's modules again, tens of ms). `onMessage` reads the worker's messages and settles the job;
 * if the thread itself fails or stops, the job is rejected and the thread is dropped (as is an idle thread
 * that stops). Unreferenced while idle, so an idle thread never keeps a process alive. How many jobs run at
 * once is the caller's to bound.
 */
export function reusableThreads(url: URL, maxIdle = 1) {
  const idle: Worker[] = [];
  const start = () => {
    const w = new Worker(url);
    // A thread that stops while idle is never handed a job (its job would wait for an answer forever).
    w.on('exit', () => {
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
    });
    return w;
  };
  return function run<T, M>(message: unknown, onMessage: OnMessage<T, M>, stopped: (why: string) => Error): Promise<T> {
    const worker = idle.pop() ?? start();
    worker.ref();
    const job = jobOn(worker, onMessage, stopped, (reusable) => {
      if (reusable && idle.length < maxIdle) {
        worker.unref();
        idle.push(worker);
      } else void worker.terminate();
    });
    worker.postMessage(message);
    return job;
  };
}

/**
 * One job on a thread of its own, started with `options` (its workerData, a transfer list) and ended when the
 * job settles: for occasional work whose thread is not worth keeping (audits, plans, stress tests).
 */
export function oneShotThread<T, M>(
  url: URL,
  options: WorkerOptions,
  onMessage: OnMessage<T, M>,
  stopped: (why: string) => Error,
): Promise<T> {
  const worker = new Worker(url, options);
  return jobOn(worker, onMessage, stopped, () => void worker.terminate());
}
