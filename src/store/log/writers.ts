import { Worker } from 'node:worker_threads';
import { LedgerError } from '../../ledger';
import { MESSAGES, type MessageCode, type MessageParams } from '../../domain/messages';
import type { CommitResult, PackedBatch, SqliteBatchCommitter } from './sqlite-commit';
import { movableBuffers } from '../movable';

/** What the writer thread (sqlite-writer.worker.ts) is started with, is sent and answers. */
export interface WriterInit {
  file: string;
  origin: string;
  signerKeys: string[];
  walRestartEntries: number;
  walCheckpointMs: number;
  turns?: SharedArrayBuffer;
}
export type WriterRequest = { id: number; batch: PackedBatch };
export type WriterReply =
  | { id: number; ok: true; oldSize: number; newSize: number; sideWritten: boolean[]; dropped: number[] }
  | { id: number; ok: false; error: WriterError };

/** An error from the writer thread, cloned across threads: a LedgerError keeps its message code and parameters. */
export interface WriterError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  messageCode?: string;
  messageParams?: MessageParams;
}

/** Where SQLite batches are committed. Commits happen in the order they are asked for. */
export interface BatchWriter {
  /** Takes what it needs from `batch` before returning: the caller releases the batch's columns right after. */
  commit(batch: PackedBatch): Promise<CommitResult>;
  /** Whether sending a batch while one commits gains anything (the commit runs beside this thread). */
  readonly pipelined: boolean;
  close(): Promise<void>;
}

/** In-memory SQLite: commit on this thread (another connection could not see the database). */
export class InlineWriter implements BatchWriter {
  readonly pipelined = true;
  constructor(private readonly committer: SqliteBatchCommitter) {}
  async commit(batch: PackedBatch): Promise<CommitResult> {
    return this.committer.commit(batch);
  }
  async close(): Promise<void> {}
}

/**
 * The writer thread: started with the log, kept referenced only while a batch is in flight (an idle
 * log never keeps the process alive). If the thread dies, its batches fail and the next commit starts
 * a new one; nothing was acknowledged that was not committed.
 */
export class ThreadWriter implements BatchWriter {
  readonly pipelined = true;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: CommitResult): void; reject(e: unknown): void }>();

  constructor(private readonly init: WriterInit) {
    this.start(); // now, so the first append does not wait for the thread to boot
  }

  commit(batch: PackedBatch): Promise<CommitResult> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      // Move (not copy) the arrays that own their whole memory; a small Buffer may sit in Node's shared pool, never move that.
      const transfer = movableBuffers([
        batch.leafInputs,
        batch.leafInputAt,
        batch.subjectStart,
        batch.payloadArea,
        batch.payloadAt,
        batch.payloadLen,
        batch.leafHashes,
      ]);
      worker.postMessage({ id, batch } satisfies WriterRequest, transfer);
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL('./sqlite-writer.boot.mjs', import.meta.url), { workerData: this.init });
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const w = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (!w) return;
      if (reply.ok) w.resolve(reply);
      else w.reject(rebuildError(reply.error));
    });
    const fail = (e: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the log writer thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/** An error from the writer thread, as the caller's thread would have thrown it. */
function rebuildError(e: WriterError): Error {
  if (e.name === 'LedgerError' && e.messageCode?.startsWith('ledger.') && e.messageCode in MESSAGES)
    return new LedgerError(
      { code: e.messageCode as `ledger.${string}` & MessageCode, params: e.messageParams },
      [],
      e.status ?? 400,
    );
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code) err.code = e.code;
  return err;
}
