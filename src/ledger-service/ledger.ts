import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { signCheckpoint } from '../ledger/checkpoint';
import { buildLeaf, buildTombstone, type ErasureReason } from '../ledger/leaf';
import { consistencyProofAsync, inclusionProofAsync, type Frontier } from '../ledger/merkle';
import { makeReceipt } from '../ledger/proof';
import { integrate, partialTiles, tileHashReaderAsync, tilePath, type TileData, type TileRef } from '../ledger/tiles';
import { LedgerError } from '../ledger/errors';
import { NotFoundError } from '../domain/errors';
import { nowIso, type Executor, type Store } from '../store/db';
import type { LogKeys } from './log-keys';

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

export interface Appended {
  index: number;
  /** The tree size of the checkpoint that first covers this entry. */
  size: number;
  /** With a side write: whether its row was inserted (false when a unique key already existed). */
  sideWritten?: boolean;
}

/**
 * A row written in the same transaction as the log entry that records it (e.g. the alert an `ai.output`
 * entry commits to), given the entry's index. On conflict nothing is written and `sideWritten` is false.
 */
export interface SideRow { table: 'alerts'; values: Record<string, string | number | null> }
export type SideWrite = (index: number) => SideRow;

interface Pending {
  bytes: Buffer;
  row: { type: string; time: string; actor: string; payload: string | null; salt: string | null };
  subjects: string[];
  side?: SideWrite;
  sideWritten?: boolean;
  resolve(a: Appended): void;
  reject(e: unknown): void;
}

export interface LedgerOptions {
  /** Flush when this many entries wait… */
  maxBatch?: number;
  /** …or this many milliseconds after the first one arrived. */
  maxDelayMs?: number;
}

const refKey = (ref: TileRef) => `${ref.level}/${ref.index}`;

// Salts come from a pool refilled 64 KiB at a time: one CSPRNG call per 2,048 entries instead of one each.
let saltPool = Buffer.alloc(0);
let saltOffset = 0;
function nextSalt(): Buffer {
  if (saltOffset + 32 > saltPool.length) {
    saltPool = randomBytes(65_536);
    saltOffset = 0;
  }
  const salt = Buffer.from(saltPool.subarray(saltOffset, saltOffset + 32)); // a copy: the pool is reused
  saltPool.fill(0, saltOffset, saltOffset + 32); // no salt stays in memory twice
  saltOffset += 32;
  return salt;
}

/**
 * The transparency log service: batches appends, integrates each batch into tiles in ONE database
 * transaction with its payloads and a signed checkpoint, and only then tells callers their index.
 * Safe with several processes: the batch holds the write lock (SQLite BEGIN IMMEDIATE, PostgreSQL
 * SELECT … FOR UPDATE) and re-reads the tree size inside it.
 */
export class Ledger {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private frontier: Frontier | undefined;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;

  constructor(readonly store: Store, readonly keys: LogKeys, opts: LedgerOptions = {}) {
    this.maxBatch = opts.maxBatch ?? 4096;
    this.maxDelayMs = opts.maxDelayMs ?? 2;
  }

  get origin(): string {
    return this.keys.origin;
  }

  /**
   * Append an event; resolves with its index once the batch holding it is durable. With `side`, the
   * row it returns is inserted in the same transaction: the record and its log entry are durable together.
   */
  async append(ev: LedgerEvent, side?: SideWrite): Promise<Appended> {
    const built = buildLeaf({ type: ev.type, time: ev.time ?? new Date(), actor: ev.actor, subjects: ev.subjects, payload: ev.payload }, nextSalt());
    return this.enqueue(built.bytes, {
      type: built.leaf.type, time: built.leaf.time, actor: built.leaf.actor,
      payload: built.payload.toString('utf8'), salt: built.salt.toString('hex'),
    }, built.leaf.subjects, side);
  }

  /**
   * Erase the personal data of entry `index`: delete its payload and salt, and append a tombstone.
   * The leaf bytes never change, so every old proof still verifies.
   */
  async erase(index: number, actor: string, reason: ErasureReason): Promise<Appended> {
    const row = await this.store.db.selectFrom('ledger_payloads').select(['idx', 'type', 'erased_at']).where('idx', '=', index).executeTakeFirst();
    if (!row) throw new NotFoundError(`no log entry ${index}`);
    if (row.type === 'tombstone') throw new LedgerError('tombstone-target', `entry ${index} is a tombstone`);
    const t = buildTombstone({ time: new Date(), actor, erases: index, reason });
    const appended = await this.enqueue(t.bytes, { type: 'tombstone', time: t.leaf.time, actor, payload: null, salt: null }, []);
    await this.store.db.updateTable('ledger_payloads').set({ payload: null, salt: null, erased_at: nowIso() }).where('idx', '=', index).execute();
    return appended;
  }

  private enqueue(bytes: Buffer, row: Pending['row'], subjects: string[], side?: SideWrite): Promise<Appended> {
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, row, subjects, side, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.kick();
      else if (!this.timer) this.timer = setTimeout(() => this.kick(), this.maxDelayMs);
    });
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, this.queue.length);
    if (batch.length === 0) return;
    this.flushing = this.flushing.then(() => this.flush(batch)).catch(() => undefined);
  }

  /** Wait until everything appended so far is durable. */
  async drain(): Promise<void> {
    this.kick();
    await this.flushing;
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const result = this.store.dialect === 'sqlite' ? this.flushSqlite(batch) : await this.flushPostgres(batch);
      batch.forEach((p, i) => p.resolve({ index: result.oldSize + i, size: result.newSize, ...(p.side ? { sideWritten: p.sideWritten } : {}) }));
    } catch (e) {
      this.frontier = undefined;
      for (const p of batch) p.reject(e);
    }
  }

  private checkpointNote(size: number, root: Buffer): string {
    return signCheckpoint({ origin: this.keys.origin, size, root, extensions: [] }, this.keys.signers);
  }

  /** SQLite: synchronous better-sqlite3 transaction under BEGIN IMMEDIATE. O(k + log n) per batch of k. */
  private flushSqlite(batch: Pending[]) {
    const db = this.store.sqlite!;
    const readTileStmt = db.prepare('SELECT width, data FROM ledger_tiles WHERE level = ? AND idx = ?');
    const run = db.transaction(() => {
      const { size: oldSize } = db.prepare('SELECT size FROM ledger_state WHERE id = 1').get() as { size: number };
      const readTile = (ref: TileRef) => {
        const row = readTileStmt.get(String(ref.level), ref.index) as { width: number; data: Buffer } | undefined;
        if (!row || row.width !== ref.width) throw new LedgerError('tile-missing', `stored tile ${tilePath(ref)} missing`);
        return row.data;
      };
      const frontier = this.frontier?.size === oldSize ? this.frontier : undefined;
      const r = integrate(oldSize, batch.map((p) => p.bytes), readTile, frontier);
      const upsert = db.prepare('INSERT INTO ledger_tiles (level, idx, width, data) VALUES (?, ?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data');
      for (const t of r.tiles) upsert.run(String(t.ref.level), t.ref.index, t.ref.width, t.data);
      const insPayload = db.prepare('INSERT INTO ledger_payloads (idx, type, time, actor, payload, salt, erased_at) VALUES (?, ?, ?, ?, ?, ?, NULL)');
      const insSubject = db.prepare('INSERT INTO ledger_subjects (ref, idx) VALUES (?, ?)');
      const sideStmts = new Map<string, ReturnType<typeof db.prepare>>();
      batch.forEach((p, i) => {
        insPayload.run(oldSize + i, p.row.type, p.row.time, p.row.actor, p.row.payload, p.row.salt);
        for (const s of p.subjects) insSubject.run(s, oldSize + i);
        if (p.side) {
          const side = p.side(oldSize + i);
          const cols = Object.keys(side.values);
          const key = `${side.table}(${cols.join(',')})`;
          let stmt = sideStmts.get(key);
          if (!stmt) sideStmts.set(key, stmt = db.prepare(`INSERT INTO ${side.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`));
          p.sideWritten = stmt.run(cols.map((c) => side.values[c])).changes > 0;
        }
      });
      db.prepare('INSERT INTO ledger_checkpoints (size, note, created_at) VALUES (?, ?, ?)').run(r.newSize, this.checkpointNote(r.newSize, r.root), nowIso());
      db.prepare('UPDATE ledger_state SET size = ?, root = ? WHERE id = 1').run(r.newSize, r.root.toString('hex'));
      return r;
    });
    const r = run.immediate();
    this.frontier = r.frontier;
    return r;
  }

  /** PostgreSQL: the same steps in one transaction, with the state row locked FOR UPDATE. */
  private async flushPostgres(batch: Pending[]) {
    const r = await this.store.db.transaction().execute(async (trx) => {
      const st = await sql<{ size: number }>`SELECT size FROM ledger_state WHERE id = 1 FOR UPDATE`.execute(trx);
      const oldSize = Number(st.rows[0].size);
      const frontier = this.frontier?.size === oldSize ? this.frontier : undefined;
      // integrate() reads tiles synchronously: prefetch the few partial tiles it may need.
      const needed: TileRef[] = partialTiles(oldSize);
      if (oldSize % 256) needed.push({ level: 'entries', index: Math.floor(oldSize / 256), width: oldSize % 256 });
      const cache = new Map<string, { width: number; data: Buffer }>();
      if (needed.length) {
        const rows = await trx.selectFrom('ledger_tiles').selectAll()
          .where((eb) => eb.or(needed.map((ref) => eb.and([eb('level', '=', String(ref.level)), eb('idx', '=', ref.index)]))))
          .execute();
        for (const row of rows) cache.set(`${row.level}/${row.idx}`, { width: row.width, data: row.data });
      }
      const readTile = (ref: TileRef) => {
        const row = cache.get(refKey(ref));
        if (!row || row.width !== ref.width) throw new LedgerError('tile-missing', `stored tile ${tilePath(ref)} missing`);
        return row.data;
      };
      const res = integrate(oldSize, batch.map((p) => p.bytes), readTile, frontier);
      for (const t of res.tiles) {
        await trx.insertInto('ledger_tiles').values({ level: String(t.ref.level), idx: t.ref.index, width: t.ref.width, data: t.data })
          .onConflict((oc) => oc.columns(['level', 'idx']).doUpdateSet({ width: t.ref.width, data: t.data })).execute();
      }
      const rows = batch.map((p, i) => ({ idx: oldSize + i, ...p.row, erased_at: null }));
      for (let i = 0; i < rows.length; i += 5000) await trx.insertInto('ledger_payloads').values(rows.slice(i, i + 5000)).execute();
      const subjects = batch.flatMap((p, i) => p.subjects.map((ref) => ({ ref, idx: oldSize + i })));
      for (let i = 0; i < subjects.length; i += 10000) await trx.insertInto('ledger_subjects').values(subjects.slice(i, i + 10000)).execute();
      for (const [i, p] of batch.entries()) {
        if (!p.side) continue;
        const side = p.side(oldSize + i);
        const r = await trx.insertInto(side.table).values(side.values as never).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        p.sideWritten = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      }
      await trx.insertInto('ledger_checkpoints').values({ size: res.newSize, note: this.checkpointNote(res.newSize, res.root), created_at: nowIso() }).execute();
      await trx.updateTable('ledger_state').set({ size: res.newSize, root: res.root.toString('hex') }).where('id', '=', 1).execute();
      return res;
    });
    this.frontier = r.frontier;
    return r;
  }
}

// ---- Reading the log (no lock needed: tiles are append-only and a checkpoint names its size) ----

export async function latestCheckpoint(db: Executor): Promise<{ size: number; note: string } | undefined> {
  const row = await db.selectFrom('ledger_checkpoints').selectAll().orderBy('size', 'desc').limit(1).executeTakeFirst();
  return row ? { size: Number(row.size), note: row.note } : undefined;
}

export async function checkpointAt(db: Executor, size: number): Promise<string | undefined> {
  return (await db.selectFrom('ledger_checkpoints').select('note').where('size', '=', size).executeTakeFirst())?.note;
}

/** Raw bytes of a tile or entry bundle, as served under /log/tile/… ; partial widths are prefixes. */
export async function readTileBytes(db: Executor, ref: TileRef): Promise<Buffer | undefined> {
  const row = await db.selectFrom('ledger_tiles').selectAll().where('level', '=', String(ref.level)).where('idx', '=', ref.index).executeTakeFirst();
  return cutTile(row, ref);
}

/** A stored tile cut to the width asked for (tiles only grow; a narrower one is a prefix). */
function cutTile(row: { width: number; data: Buffer } | undefined, ref: TileRef): Buffer | undefined {
  if (!row || row.width < ref.width) return undefined;
  if (row.width === ref.width) return row.data;
  if (ref.level === 'entries') {
    // A narrower bundle: the first `width` length-prefixed entries.
    let off = 0;
    for (let i = 0; i < ref.width; i++) off += 2 + row.data.readUInt16BE(off);
    return row.data.subarray(0, off);
  }
  return row.data.subarray(0, ref.width * 32);
}

/** Reads only the tiles a proof touches: O(log n) tile reads per proof. */
function tileReader(db: Executor, size: number) {
  return tileHashReaderAsync(size, async (ref) => {
    const data = await readTileBytes(db, ref);
    if (!data) throw new LedgerError('tile-missing', `missing ${tilePath(ref)}`, [], 404);
    return data;
  });
}

/**
 * A tile reader for reading the whole log in order (audits, exports): a request for tile i of a level
 * fetches tiles i … i+batch−1 of that level in one query and serves the next requests from them.
 * Turns one query per tile into one per `batch` tiles. Memory: one batch per level.
 */
export function sequentialTileReader(db: Executor, batch = 256): (ref: TileRef) => Promise<Buffer | undefined> {
  const cache = new Map<string, Map<number, { width: number; data: Buffer }>>();
  return async (ref) => {
    const level = String(ref.level);
    let rows = cache.get(level);
    if (!rows?.has(ref.index)) {
      const got = await db.selectFrom('ledger_tiles').select(['idx', 'width', 'data']).where('level', '=', level).where('idx', '>=', ref.index).where('idx', '<', ref.index + batch).execute();
      rows = new Map(got.map((r) => [Number(r.idx), { width: r.width, data: r.data }]));
      cache.set(level, rows);
    }
    return cutTile(rows.get(ref.index), ref);
  };
}

export async function proveInclusion(db: Executor, index: number, size: number): Promise<Buffer[]> {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < size)) throw new LedgerError('index-range', `index ${index} is not in a tree of size ${size}`, [], 400);
  return inclusionProofAsync(index, size, tileReader(db, size));
}

export async function proveConsistency(db: Executor, m: number, n: number): Promise<Buffer[]> {
  if (!(Number.isSafeInteger(m) && m > 0 && m <= n)) throw new LedgerError('size-range', `need 0 < old size ≤ new size, got ${m} and ${n}`, [], 400);
  return consistencyProofAsync(m, n, tileReader(db, n));
}

/** A c2sp.org/tlog-proof receipt for one entry against the latest checkpoint. */
export async function receiptFor(db: Executor, index: number): Promise<string> {
  const cp = await latestCheckpoint(db);
  if (!cp || index >= cp.size) throw new NotFoundError(`no log entry ${index}`);
  const entry = await entryBytes(db, index);
  const proof = await proveInclusion(db, index, cp.size);
  return makeReceipt(index, entry, proof, cp.note);
}

/** The leaf bytes of entry `index`, read from its entry bundle. */
export async function entryBytes(db: Executor, index: number): Promise<Buffer> {
  const tile = Math.floor(index / 256);
  const row = await db.selectFrom('ledger_tiles').select(['data', 'width']).where('level', '=', 'entries').where('idx', '=', tile).executeTakeFirst();
  if (!row || index % 256 >= row.width) throw new NotFoundError(`no log entry ${index}`);
  let off = 0;
  for (let i = 0; i < index % 256; i++) off += 2 + row.data.readUInt16BE(off);
  const len = row.data.readUInt16BE(off);
  return row.data.subarray(off + 2, off + 2 + len);
}

export type { TileData };
