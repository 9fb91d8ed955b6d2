import { randomBytes } from 'node:crypto';
import {
  buildTombstone,
  encodeEventInput,
  isoOf,
  type ErasureReason,
  consistencyProofAsync,
  inclusionProofAsync,
  makeReceipt,
  tileHashReaderAsync,
  tilePath,
  type TileData,
  type TileRef,
  LedgerError,
} from '../ledger';
import { PendingBatch } from './pending-batch';
import type { Appended, SideRow } from '../store/log/entries';
import type { WriterOptions } from '../store/log/storage';
import { readTileBytes } from '../store/log/tile-reads';
import type { BatchWriter } from '../store/log/writers';
import type { CommitResult } from '../store/log/sqlite-commit';
import { NotFoundError } from '../domain/errors';
import { nowIso, type Executor, type Store } from '../store/db';
import type { LogKeys } from './log-keys';
import { latestCheckpoint } from './checkpoints';
import { msg } from '../domain/messages';

export interface LedgerEvent {
  /** Dotted event type, e.g. `ai.output`, `human.decision`. */
  type: string;
  /** Pseudonymous reference of who did it (`user:…`, `system:…`). */
  actor: string;
  /** Pseudonymous references of what it is about. */
  subjects: string[];
  /** Any JSON; may hold personal data: kept beside the log, never in a leaf. */
  payload: unknown;
  time?: Date;
}

export interface LedgerOptions extends WriterOptions {
  /** Flush when this many entries wait… */
  maxBatch?: number;
  /** …or, while a commit is in flight, this many milliseconds after the first one arrived (idle: at once). */
  maxDelayMs?: number;
}

// Salts come from a pool refilled 64 KiB at a time: one CSPRNG call per 2,048 entries instead of one each.
// Each is copied once, into the pending batch's payload area beside its payload, and zeroed in the pool
// right away, so no salt stays in memory twice.
let saltPool = Buffer.alloc(0);
let saltOffset = 0;
function nextSaltAt(): number {
  if (saltOffset + 32 > saltPool.length) {
    saltPool = randomBytes(65_536);
    saltOffset = 0;
  }
  saltOffset += 32;
  return saltOffset - 32;
}

// The time of an entry appended now: one ISO string per millisecond, shared by the appends within it.
let isoMs = -1;
let isoText = '';
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * The transparency log service: batches appends, integrates each batch into tiles in ONE database
 * transaction with its payloads and a signed checkpoint, and only then tells callers their index.
 * Safe with several processes: the batch holds the write lock (SQLite BEGIN IMMEDIATE, PostgreSQL
 * SELECT … FOR UPDATE) and re-reads the tree size inside it.
 *
 * On an SQLite file the commit runs on a writer thread (sqlite-writer.worker.ts): the caller's thread
 * builds leaves while the writer hashes, integrates and fsyncs the previous batch, so the two cores
 * work at once and the serving thread never waits on a disk flush.
 */
export class Ledger {
  private queue = new PendingBatch();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** Batches sent and not yet answered. */
  private inFlight = 0;
  private flushing: Promise<void> = Promise.resolve();
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly writer: BatchWriter;

  constructor(
    readonly store: Store,
    readonly keys: LogKeys,
    opts: LedgerOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 4096;
    this.maxDelayMs = opts.maxDelayMs ?? 2;
    this.writer = store.log.openWriter(keys.origin, keys.signerKeys(), opts);
  }

  get origin(): string {
    return this.keys.origin;
  }

  /**
   * Append an event; resolves with its index once the batch holding it is durable. With `side`, that
   * row is inserted in the same transaction: the record and its log entry are durable together.
   */
  append(ev: LedgerEvent, side?: SideRow): Promise<Appended> {
    const at = nextSaltAt();
    const queue = this.queue;
    let time: string;
    let e;
    try {
      time = ev.time ? isoOf(ev.time) : isoNow();
      // Salt ‖ canonical payload are written (and hashed) straight into the pending batch's payload area.
      e = encodeEventInput(ev.type, time, true, ev.actor, ev.subjects, ev.payload, saltPool, at, queue);
    } catch (err) {
      queue.discardReserved();
      return Promise.reject(err);
    } finally {
      saltPool.fill(0, at, at + 32);
    }
    const appended = queue.add(e.leafInput, ev.type, time, e.saltedPayloadBytes, ev.subjects, side);
    this.queued();
    return appended;
  }

  /**
   * Erase the personal data of entry `index`: delete its payload and salt, and append a tombstone.
   * The leaf bytes never change, so every old proof still verifies.
   */
  async erase(index: number, actor: string, reason: ErasureReason): Promise<Appended> {
    const row = await this.store.db
      .selectFrom('ledger_payloads')
      .select(['idx', 'type', 'erased_at'])
      .where('idx', '=', index)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(msg('log.noEntry', { index }));
    if (row.type === 'tombstone') throw new LedgerError(msg('ledger.tombstone-target.entry', { index }));
    const t = buildTombstone({ time: new Date(), actor, erases: index, reason });
    const added = this.queue.add(`\0${t.bytes.toString('latin1')}`, 'tombstone', t.leaf.time, null, [], undefined);
    this.queued();
    const appended = await added;
    await this.store.db
      .updateTable('ledger_payloads')
      .set({ payload: null, salt: null, erased_at: nowIso() })
      .where('idx', '=', index)
      .execute();
    return appended;
  }

  /**
   * Group commit. With no commit in flight the batch goes at the end of this event-loop turn (appends
   * made together travel together, and a lone append waits for no timer). While a commit is in flight,
   * entries gather until it completes; a full batch goes at once. A pipelined writer (SQLite's writer
   * thread, which commits while this thread builds the next batch) also takes what gathered after
   * `maxDelayMs`. PostgreSQL's writer is not pipelined: a batch sent while another commits would only
   * wait for its lock, and the timer would cut the log into one small batch per `maxDelayMs` (2,554
   * checkpoints for 2,620 entries in the two-server run of issue 20).
   */
  private queued(): void {
    if (this.queue.length >= this.maxBatch) this.kick();
    else if (this.inFlight === 0) {
      if (!this.immediate) this.immediate = setImmediate(() => this.kick());
    } else if (!this.timer && this.writer.pipelined) this.timer = setTimeout(() => this.kick(), this.maxDelayMs);
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = new PendingBatch(batch); // room for a batch like this one
    this.inFlight++;
    const settled = () => {
      if (--this.inFlight === 0 && this.queue.length > 0) this.kick();
    };
    // The writer commits batches one at a time in the order sent; this thread goes on meanwhile.
    let sent: Promise<CommitResult>;
    try {
      sent = this.writer.commit(batch.seal());
      batch.release();
    } catch (e) {
      batch.rejectAll(e);
      settled();
      return;
    }
    const committed = sent
      .then(
        (r) => batch.resolveAll(r.oldSize, r.newSize, r.sideWritten, r.dropped),
        (e) => batch.rejectAll(e),
      )
      .finally(settled);
    this.flushing = Promise.all([this.flushing, committed]).then(() => undefined);
  }

  /** Wait until everything appended so far is durable. */
  async drain(): Promise<void> {
    this.kick();
    await this.flushing;
  }

  /** Drain, then stop the writer thread. */
  async close(): Promise<void> {
    await this.drain();
    await this.writer?.close();
  }
}

// ---- Reading the log (no lock needed: tiles are append-only and a checkpoint names its size) ----

/** Reads only the tiles a proof touches: O(log n) tile reads per proof. */
function tileReader(db: Executor, size: number) {
  return tileHashReaderAsync(size, async (ref) => {
    const data = await readTileBytes(db, ref);
    if (!data) throw new LedgerError(msg('ledger.tile-missing', { tile: tilePath(ref) }), [], 404);
    return data;
  });
}

export async function proveInclusion(db: Executor, index: number, size: number): Promise<Buffer[]> {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < size))
    throw new LedgerError(msg('ledger.index-range', { index, size }), [], 400);
  return inclusionProofAsync(index, size, tileReader(db, size));
}

export async function proveConsistency(db: Executor, m: number, n: number): Promise<Buffer[]> {
  if (!(Number.isSafeInteger(m) && m > 0 && m <= n)) throw new LedgerError(msg('ledger.size-range', { m, n }), [], 400);
  return consistencyProofAsync(m, n, tileReader(db, n));
}

/** A c2sp.org/tlog-proof receipt for one entry against the latest checkpoint. */
export async function receiptFor(db: Executor, index: number): Promise<string> {
  const cp = await latestCheckpoint(db);
  if (!cp || index >= cp.size) throw new NotFoundError(msg('log.noEntry', { index }));
  const entry = await entryBytes(db, index);
  const proof = await proveInclusion(db, index, cp.size);
  return makeReceipt(index, entry, proof, cp.note);
}

/** The leaf bytes of entry `index`, read from its entry bundle. */
export async function entryBytes(db: Executor, index: number): Promise<Buffer> {
  const tile = Math.floor(index / 256);
  const row = await db
    .selectFrom('ledger_tiles')
    .select(['data', 'width'])
    .where('level', '=', 'entries')
    .where('idx', '=', tile)
    .executeTakeFirst();
  if (!row || index % 256 >= row.width) throw new NotFoundError(msg('log.noEntry', { index }));
  let off = 0;
  for (let i = 0; i < index % 256; i++) off += 2 + row.data.readUInt16BE(off);
  const len = row.data.readUInt16BE(off);
  return row.data.subarray(off + 2, off + 2 + len);
}

export type { TileData };
