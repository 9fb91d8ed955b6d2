/**
 * The log's commits go before import chunks on an SQLite file's one write lock (src/store/write-turns.ts):
 * real threads, real shared memory. Attacks: an import chunk starting while a log commit holds or waits
 * for the lock, and a log commit starting inside an import chunk. And the bounds: a log that never lets
 * go does not stop an import forever.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { asImportChunk, writeTurnsFor } from '../../../src/store/write-turns';

const LOG_START = 1,
  LOG_END = 2,
  IMPORT_START = 3,
  IMPORT_END = 4;

function side(
  turns: SharedArrayBuffer,
  events: SharedArrayBuffer,
  role: 'log' | 'import',
  holdMs: number,
): Promise<void> {
  const w = new Worker(new URL('../../support/write-turns.worker.mjs', import.meta.url), {
    workerData: { turns, events, role, holdMs },
  });
  return new Promise((resolve, reject) => {
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`side ${role} exited ${code}`))));
  });
}

/** Resolves once event `slot` has happened (polled: the test's own thread must not block). */
async function reached(events: SharedArrayBuffer, slot: number): Promise<void> {
  const ev = new Int32Array(events);
  for (let i = 0; i < 2_000 && Atomics.load(ev, slot) === 0; i++) await new Promise((r) => setTimeout(r, 5));
  if (Atomics.load(ev, slot) === 0) throw new Error(`event ${slot} never happened`);
}

describe('write turns between the log writer and import threads', () => {
  it('an import chunk asked for while a log commit holds the lock starts only after the commit ends', async () => {
    const turns = new SharedArrayBuffer(8),
      events = new SharedArrayBuffer(32);
    const log = side(turns, events, 'log', 150);
    await reached(events, LOG_START);
    await Promise.all([log, side(turns, events, 'import', 1)]);
    const ev = new Int32Array(events);
    expect(ev[IMPORT_START]).toBeGreaterThan(ev[LOG_END]);
  });

  it('a log commit asked for during an import chunk waits for that chunk to end, then goes first', async () => {
    const turns = new SharedArrayBuffer(8),
      events = new SharedArrayBuffer(32);
    const imp = side(turns, events, 'import', 150);
    await reached(events, IMPORT_START);
    await Promise.all([imp, side(turns, events, 'log', 1)]);
    const ev = new Int32Array(events);
    expect(ev[LOG_START]).toBeGreaterThan(ev[IMPORT_END]);
  });

  it('an import waits for a log that never lets go at most its bound (200 ms), then takes its chance', async () => {
    const turns = new SharedArrayBuffer(8),
      events = new SharedArrayBuffer(32);
    const log = side(turns, events, 'log', 1_500);
    await reached(events, LOG_START);
    const t0 = Date.now();
    asImportChunk(turns, () => undefined); // on this thread: returns after the bound, not after the log's 1.5 s
    const waited = Date.now() - t0;
    const logEndedBefore = Atomics.load(new Int32Array(events), LOG_END);
    await log;
    expect(waited).toBeGreaterThanOrEqual(150); // it did wait for the log…
    expect(logEndedBefore).toBe(0); // …but not until the log let go
  });

  it('stores opened on one file in a process share one set of turns; different files do not', () => {
    expect(writeTurnsFor('/tmp/a.db')).toBe(writeTurnsFor('/tmp/a.db'));
    expect(writeTurnsFor('/tmp/a.db')).not.toBe(writeTurnsFor('/tmp/b.db'));
  });
});
