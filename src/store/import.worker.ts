/**
 * An import thread: parses and validates CSV files off the request-serving thread, and (for a SQLite file
 * or PostgreSQL) writes them on its own connection. One job at a time; the caller reuses the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolveProfile } from '../ingest/profiles';
import { readIncidents, type IncidentRow } from '../ingest/read-incidents';
import { taxonomyOf } from '../ingest/taxonomy';
import { statSync } from 'node:fs';
import { stagedSqliteImport } from './import-sqlite';
import { serializeError, type FromThread, type ThreadJob, type ThreadOutcome, type ToThread } from './import-thread';
import { copyImportPostgres } from './import-postgres';
import { yieldCpuToRequests } from './thread-priority';

// Background threads (a server's imports) take a lower CPU priority, for this thread only (Linux nice
// values are per thread; 0 = the calling thread): when cores are busy, the request-serving thread (alert
// intake) runs first and the import takes what is left.
const nice = (workerData as { nice?: number } | undefined)?.nice;
if (nice) yieldCpuToRequests(nice);

const port = parentPort!;
const send = (m: FromThread) => port.postMessage(m);
let ackWaiter: (() => void) | undefined;

port.on('message', (m: ToThread) => {
  if (m.t === 'ack') {
    const w = ackWaiter;
    ackWaiter = undefined;
    w?.();
  } else {
    run(m.job).then(
      (outcome) => send({ t: 'done', outcome }),
      (e) => send({ t: 'failed', error: serializeError(e) }),
    );
  }
});

async function run(job: ThreadJob): Promise<ThreadOutcome> {
  const profile = resolveProfile(job.profile.name, job.profile.mappingFile, job.profile.timeZone);
  const taxonomy = taxonomyOf(job.origins);
  const onProgress = (bytes: number, total: number, rows: number) => send({ t: 'progress', bytes, total, rows });
  const readOpts = { ...job.read, onProgress };
  const mode = job.mode;
  if (mode.kind === 'read') {
    // One batch in flight: the caller writes it before the next is read, so memory stays bounded.
    const summary = await readIncidents(
      job.file,
      profile,
      taxonomy,
      (rows: IncidentRow[]) =>
        new Promise<void>((resolve) => {
          ackWaiter = resolve;
          send({ t: 'batch', rows });
        }),
      readOpts,
    );
    return { summary };
  }
  const w = job.write!;
  if (mode.kind === 'sqlite')
    return stagedSqliteImport(mode.dbFile, job.file, profile, taxonomy, w, readOpts, {
      turns: mode.turns,
      onPublish: (rows, of) => send({ t: 'published', rows, of }),
    });
  // PostgreSQL: COPY into a temporary table, published in one statement (import-postgres.ts).
  const r = await copyImportPostgres(mode.url, job.file, statSync(job.file).size, profile, w, (onBatch) =>
    readIncidents(job.file, profile, taxonomy, onBatch, readOpts),
  );
  return { summary: r, imported: r.imported, duplicates: r.duplicates };
}
