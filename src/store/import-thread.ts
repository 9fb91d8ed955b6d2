/**
 * The caller's side of an import thread (import.worker.ts): parsing and validating a CSV file costs
 * seconds of CPU for a large file, and on the request-serving thread it stalled every other request,
 * alert intake included. Threads are reused (an idle one waits, unreferenced, for the next import), so a
 * burst of small imports does not pay a thread start each.
 */
import { Worker } from 'node:worker_threads';
import { InputError, type Where } from '../domain/errors';
import type { Origin } from '../domain/incident';
import type { EncodingChoice } from '../ingest/encoding';
import type { IncidentRow, ReadSummary } from '../ingest/read-incidents';

/** What an import thread does with the rows it reads. */
export type ThreadMode =
  /** Send valid rows back in batches (each acknowledged before the next): the caller writes them (in-memory SQLite). */
  | { kind: 'read' }
  /** Stage in a temporary table, then publish into the SQLite file in short transactions (import-sqlite.ts). */
  | { kind: 'sqlite'; dbFile: string; turns?: SharedArrayBuffer }
  /** One transaction on the thread's own PostgreSQL connection. */
  | { kind: 'postgres'; url: string };

export interface ThreadJob {
  mode: ThreadMode;
  /** Run on a thread at lower CPU priority (a server's own requests come first); CLI and demo loads run at normal priority. */
  background?: boolean;
  file: string;
  profile: { name: string; mappingFile?: string; timeZone?: string };
  origins: Record<string, Origin>;
  read: { batchSize?: number; maxErrors?: number; maxRecordBytes?: number; encoding?: EncodingChoice };
  /** For the writing modes. */
  write?: {
    datasetId: string;
    source: string;
    importedBy: string | null;
    skipInvalid: boolean;
    bulkThresholdRows?: number;
  };
}

export interface ThreadOutcome {
  summary: ReadSummary;
  /** Writing modes only. */
  imported?: number;
  duplicates?: number;
}

export interface SerializedError {
  name: string;
  message: string;
  where?: Where[];
  status?: number;
  summary?: ReadSummary;
  messageCode?: string;
  messageParams?: Record<string, string | number>;
}

export type ToThread = { t: 'job'; job: ThreadJob } | { t: 'ack' };
export type FromThread =
  | { t: 'progress'; bytes: number; total: number; rows: number }
  | { t: 'published'; rows: number; of: number }
  | { t: 'batch'; rows: IncidentRow[] }
  | { t: 'done'; outcome: ThreadOutcome }
  | { t: 'failed'; error: SerializedError };

export interface ThreadHandlers {
  onProgress?(bytes: number, total: number, rows: number): void;
  onPublish?(rows: number, of: number): void;
  /** 'read' mode: write one batch; the thread waits for it before sending the next. */
  onBatch?(rows: IncidentRow[]): Promise<void>;
  /** Turns a serialized rejection (one with a summary) back into the caller's error class. */
  rejected(summary: ReadSummary): Error;
}

// Idle threads by priority: a thread's nice value cannot be lowered again once raised.
const idleThreads = { normal: [] as Worker[], background: [] as Worker[] };
const MAX_IDLE = 1;

/** Run one job on an import thread; resolves with what the thread reports, rejects with the error it met. */
export function runOnImportThread(job: ThreadJob, h: ThreadHandlers): Promise<ThreadOutcome> {
  const idle = idleThreads[job.background ? 'background' : 'normal'];
  const worker =
    idle.pop() ??
    new Worker(new URL('./import-worker.boot.mjs', import.meta.url), { workerData: { nice: job.background ? 10 : 0 } });
  worker.ref();
  return new Promise<ThreadOutcome>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, outcome?: ThreadOutcome, reusable = false) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable && idle.length < MAX_IDLE) {
        worker.unref();
        idle.push(worker);
      } else void worker.terminate();
      if (err) reject(err);
      else resolve(outcome!);
    };
    const onMessage = (m: FromThread) => {
      if (m.t === 'progress') h.onProgress?.(m.bytes, m.total, m.rows);
      else if (m.t === 'published') h.onPublish?.(m.rows, m.of);
      else if (m.t === 'batch') {
        if (!h.onBatch) return finish(new Error('import thread sent rows nobody writes'));
        h.onBatch(m.rows).then(
          () => !settled && worker.postMessage({ t: 'ack' } satisfies ToThread),
          (e) => finish(e),
        );
      } else if (m.t === 'done') finish(undefined, m.outcome, true);
      else finish(rebuild(m.error, h), undefined, true);
    };
    const onError = (e: unknown) => finish(e);
    const onExit = (code: number) => finish(new Error(`the import thread stopped (exit code ${code})`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ t: 'job', job } satisfies ToThread);
  });
}

export function serializeError(e: unknown): SerializedError {
  const err = e as {
    name?: string;
    message?: string;
    where?: Where[];
    status?: unknown;
    summary?: ReadSummary;
    messageCode?: string;
    messageParams?: Record<string, string | number>;
  };
  return {
    name: String(err?.name ?? 'Error'),
    message: String(err?.message ?? e),
    where: Array.isArray(err?.where) ? err.where : undefined,
    status: typeof err?.status === 'number' ? err.status : undefined,
    summary: err?.summary,
    messageCode: err?.messageCode,
    messageParams: err?.messageParams,
  };
}

/** The error as the caller's thread would have thrown it. */
function rebuild(e: SerializedError, h: ThreadHandlers): Error {
  if (e.summary) return h.rejected(e.summary);
  return rebuildThreadError(e);
}

/** An error another thread serialized (serializeError), as this thread's class: InputError keeps its code, fields and status. */
export function rebuildThreadError(e: SerializedError): Error {
  if (e.name === 'InputError') {
    return new InputError(
      e.messageCode ? ({ code: e.messageCode, params: e.messageParams } as never) : e.message,
      e.where ?? [],
      e.status ?? 400,
    );
  }
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
