/**
 * One side of the write-turns test, on its own thread: takes its turn (as the log or as an import),
 * holds it for `holdMs`, and records the order of its start and end in shared memory.
 * Events: [0] counter; [1] log start, [2] log end, [3] import start, [4] import end.
 */
import { workerData } from 'node:worker_threads';
import { asImportChunk, asLogCommit } from '../../src/store/write-turns';

const { turns, events, role, holdMs } = workerData as {
  turns: SharedArrayBuffer;
  events: SharedArrayBuffer;
  role: 'log' | 'import';
  holdMs: number;
};
const ev = new Int32Array(events);
const mark = (slot: number) => {
  Atomics.store(ev, slot, Atomics.add(ev, 0, 1) + 1);
  Atomics.notify(ev, slot);
};
const hold = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
const base = role === 'log' ? 1 : 3;
(role === 'log' ? asLogCommit : asImportChunk)(turns, () => {
  mark(base);
  hold();
  mark(base + 1);
});
