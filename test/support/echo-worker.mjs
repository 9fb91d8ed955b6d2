// A worker for test/unit/store/reusable-threads.test.ts: answers each job, and stops when told to.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.cmd === 'exit') process.exit(3);
  parentPort.postMessage({ t: 'done', v: m.v, threadId: (globalThis.__id ??= Math.random()) });
  if (m.cmd === 'echo-then-exit') setTimeout(() => process.exit(0), 20);
});
