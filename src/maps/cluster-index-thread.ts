/**
 * The caller's side of the cluster-index thread (cluster-index.worker.ts). After every import the map's
 * indexes are rebuilt: reading a few hundred thousand positions and sorting them cost the request-serving
 * thread stalls of 60–260 ms during imports, and alert intake waited behind them (bench/import-under-load.ts).
 * For a database file or PostgreSQL the thread reads the positions on its own connection and builds the
 * index there; only the finished typed arrays come back, moved (not copied) to this thread. An in-memory
 * SQLite store (tests, the demo's scratch runs) cannot be opened from another thread: it is built here, in
 * slices between requests, as before.
 *
 * One thread, reused, jobs one after another, at a lower CPU priority (nice 10: when both cores are busy the
 * request-serving thread runs first); unreferenced while idle so it never keeps a process alive.
 */
import { Worker } from 'node:worker_threads';
import { sameDatabaseFor, type Store, type StoreOptions } from '../store/db';
import { incidentPositions, type IncidentFilter } from '../store/incident-queries';
import { buildClusterIndexInBackground, type ClusterIndex } from './cluster-index';

/** A job: how the thread opens the database (the same file, or the same PostgreSQL server) and the filter. */
export type ToIndexThread = { id: number; source: StoreOptions; filter: IncidentFilter };
export type FromIndexThread =
  { id: number; index: ClusterIndex } | { id: number; error: { name: string; message: string } };

/** Indexes built since this process started, by where (for the server's metrics). */
const builds = { ownThread: 0, servingThread: 0, threadFailures: 0 };
export const clusterIndexBuilds = () => ({ ...builds });

let thread: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve(ci: ClusterIndex): void; reject(e: Error): void }>();

/** A failure of the thread itself (it could not start, or stopped), not of the job it ran. */
class IndexThreadFailure extends Error {}

function startThread(): Worker {
  const w = new Worker(new URL('./cluster-index-worker.boot.mjs', import.meta.url));
  const failAll = (e: Error) => {
    if (thread === w) thread = undefined;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  w.on('message', (m: FromIndexThread) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if ('index' in m) p.resolve(m.index);
    else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
  });
  w.on('error', (e) => failAll(new IndexThreadFailure(`the cluster-index thread failed: ${e.message}`)));
  w.on('exit', (code) => failAll(new IndexThreadFailure(`the cluster-index thread stopped (exit code ${code})`)));
  return w;
}

/** Build on the thread; rejects with IndexThreadFailure if the thread itself fails. */
function onThread(source: StoreOptions, filter: IncidentFilter): Promise<ClusterIndex> {
  thread ??= startThread();
  const id = nextId++;
  thread.ref();
  const done = new Promise<ClusterIndex>((resolve, reject) => pending.set(id, { resolve, reject }));
  thread.postMessage({ id, source, filter } satisfies ToIndexThread);
  return done;
}

/**
 * The cluster index of the incidents matching `f`: built on the cluster-index thread when the store can be
 * opened from there, otherwise (or if that thread cannot run) here, in slices between requests.
 */
export async function buildClusterIndexFor(store: Store, f: IncidentFilter): Promise<ClusterIndex> {
  const source = sameDatabaseFor(store); // undefined for in-memory SQLite: only this thread can read it
  if (source) {
    try {
      const ci = await onThread(source, f);
      builds.ownThread++;
      return ci;
    } catch (e) {
      if (!(e instanceof IndexThreadFailure)) throw e;
      builds.threadFailures++;
    }
  }
  const ci = await buildClusterIndexInBackground(await incidentPositions(store, f));
  builds.servingThread++;
  return ci;
}

/** Stop the thread (tests that check no thread is left running). Pending builds fail over to this thread. */
export async function stopClusterIndexThread(): Promise<void> {
  const w = thread;
  thread = undefined;
  await w?.terminate();
}
