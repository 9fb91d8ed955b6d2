/**
 * The cluster-index thread (its caller: cluster-index-thread.ts). Per job: open the database on a
 * connection of its own, read the matching incidents' positions, build the index, close the connection, and
 * move the index's typed arrays to the caller. Jobs run one after another.
 */
import { parentPort } from 'node:worker_threads';
import { openStore, type Store } from '../store/db';
import { incidentPositions } from '../store/incident-queries';
import { buildClusterIndex } from './cluster-index';
import type { FromIndexThread, ToIndexThread } from './cluster-index-thread';
import { yieldCpuToRequests } from '../store/thread-priority';

// A lower CPU priority for this thread only (Linux nice values are per thread; 0 = the calling thread): the
// map can wait a moment for its fine index, alert intake cannot.
yieldCpuToRequests();

const port = parentPort!;
let queue: Promise<void> = Promise.resolve();

port.on('message', (job: ToIndexThread) => {
  queue = queue.then(() => run(job)).catch(() => undefined); // run() replies with its own errors
});

async function run({ id, source, filter }: ToIndexThread): Promise<void> {
  let reply: FromIndexThread;
  let moved: ArrayBuffer[] = [];
  let store: Store | undefined;
  try {
    store = openStore({ ...source, readOnly: true });
    // A larger window than on the serving thread: nothing else waits on this thread between windows.
    const index = buildClusterIndex(await incidentPositions(store, filter, 50_000));
    reply = { id, index };
    moved = [index.code, index.ids, index.lon, index.lat, index.sumLon, index.sumLat].map(
      (a) => a.buffer as ArrayBuffer,
    );
  } catch (e) {
    const err = e as { name?: string; message?: string };
    reply = { id, error: { name: String(err?.name ?? 'Error'), message: String(err?.message ?? e) } };
  } finally {
    await store?.close().catch(() => undefined);
  }
  port.postMessage(reply, moved);
}
