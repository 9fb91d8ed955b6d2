/**
 * Turn-taking on an SQLite file's one write lock between threads of this process: the log's writer
 * thread (whose commits acknowledge alerts) goes before import threads (bulk rows, no one waiting on
 * each). SQLite's own busy handler does not queue: a waiting writer sleeps 1, 2, 5, 10, 15 … ms and
 * tries again, so an alert's commit could sleep through several import chunks. Here the writer says it
 * wants the lock, an import thread finishes its current chunk and waits, and the writer is woken as
 * soon as that chunk commits. Other processes on the same file still meet SQLite's busy handler.
 *
 * Two counters in shared memory (Dekker-style: each side raises its own, then reads the other's; with
 * sequentially consistent atomics at least one sees the other, and then the import steps back):
 *   [0] log commits waiting for or holding the lock, [1] import chunks holding it.
 */

const LOG = 0;
const IMPORT = 1;
/** An import waits for the log at most this long per chunk, then takes its chance with SQLite's busy handler. */
const IMPORT_MAX_WAIT_MS = 200;
/** The log waits for an import chunk at most this long (a stuck thread must not stop the log). */
const LOG_MAX_WAIT_MS = 1_000;

const byFile = new Map<string, SharedArrayBuffer>();

/** The turn counters of one database file, shared by every store opened on it in this process. */
export function writeTurnsFor(file: string): SharedArrayBuffer {
  let sab = byFile.get(file);
  if (!sab) byFile.set(file, (sab = new SharedArrayBuffer(8)));
  return sab;
}

/** The log's side: run `commit` once no import chunk holds the lock. Blocks this thread while it waits (writer threads only). */
export function asLogCommit<T>(sab: SharedArrayBuffer | undefined, commit: () => T): T {
  if (!sab) return commit();
  const a = new Int32Array(sab);
  Atomics.add(a, LOG, 1);
  try {
    const until = Date.now() + LOG_MAX_WAIT_MS;
    for (let held = Atomics.load(a, IMPORT); held !== 0 && Date.now() < until; held = Atomics.load(a, IMPORT))
      Atomics.wait(a, IMPORT, held, 20);
    return commit();
  } finally {
    Atomics.sub(a, LOG, 1);
    Atomics.notify(a, LOG);
  }
}

/** The import's side: run one chunk when no log commit wants the lock (waiting at most IMPORT_MAX_WAIT_MS). Blocks this thread while it waits. */
export function asImportChunk<T>(sab: SharedArrayBuffer | undefined, chunk: () => T): T {
  if (!sab) return chunk();
  const a = new Int32Array(sab);
  const until = Date.now() + IMPORT_MAX_WAIT_MS;
  for (;;) {
    Atomics.add(a, IMPORT, 1);
    const wanted = Atomics.load(a, LOG);
    if (wanted === 0 || Date.now() >= until) break;
    // The log wants the lock: step back and wait until it is done.
    Atomics.sub(a, IMPORT, 1);
    Atomics.notify(a, IMPORT);
    Atomics.wait(a, LOG, wanted, 20);
  }
  try {
    return chunk();
  } finally {
    Atomics.sub(a, IMPORT, 1);
    Atomics.notify(a, IMPORT);
  }
}
