import type Database from 'better-sqlite3';
import {
  signCheckpoint,
  LedgerError,
  newSigner,
  type NoteSigner,
  type Frontier,
  integrate,
  tilePath,
  type TileRef,
} from '../../ledger';
import { msg } from '../../domain/messages';
import { insertRowsSqlite } from '../sqlite-rows';
import type { SideRow, SideTable } from './entries';

/**
 * One batch of log entries, packed for a single structured clone to the writer thread: the entries'
 * leaf hash inputs (0x00 ‖ entry) concatenated in one buffer (a Buffer per entry would each drag its
 * 8 KiB pool slab along) and the side-table columns as parallel arrays.
 */
export interface PackedBatch {
  /** Entry i's leaf hash input is leafInputs[leafInputAt[i] … leafInputAt[i + 1]); the entry is that without its first byte. */
  leafInputs: Uint8Array;
  /** n + 1 offsets into `leafInputs`. */
  leafInputAt: Uint32Array;
  types: string[];
  times: string[];
  /** Entry i's salt (32 bytes) ‖ UTF-8 canonical payload: payloadArea[payloadAt[i] … + payloadLen[i]); payloadAt -1: none. */
  payloadArea: Uint8Array;
  payloadAt: Int32Array;
  payloadLen: Uint32Array;
  /** The entries' leaf hashes, 32 bytes each (the buffer may be longer). */
  leafHashes: Uint8Array;
  /** Subjects of entry i: subjects[subjectStart[i] … subjectStart[i+1]). */
  subjects: string[];
  subjectStart: Uint32Array;
  /** Rows to write in the same transaction (see SideRow); `indexColumn` receives the entry's log index. */
  sides: (SideRow & { entry: number })[];
}

export interface CommitResult {
  oldSize: number;
  newSize: number;
  /** Per side row, in order: inserted (false when a unique key already existed). */
  sideWritten: boolean[];
  /** Positions in the batch of the entries left out of the log (their onlyIfWritten side row was not written), ascending. */
  dropped: number[];
}

/**
 * The batch without the entries at `drop` (ascending positions): a race's losing entries. Leaf inputs and
 * hashes are copied down; payloads stay where they are in the shared area (the committer zeroes it all).
 * O(k); only runs when a race was lost.
 */
export function withoutEntries(b: PackedBatch, drop: number[]): PackedBatch {
  const n = b.types.length;
  const gone = new Set(drop);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!gone.has(i)) keep.push(i);
  const inputAt = new Uint32Array(keep.length + 1);
  const subjectStart = new Uint32Array(keep.length + 1);
  const inputs = Buffer.alloc(b.leafInputAt[n]);
  const hashes = Buffer.alloc(keep.length * 32);
  const subjects: string[] = [];
  keep.forEach((i, j) => {
    inputAt[j + 1] =
      inputAt[j] +
      Buffer.from(b.leafInputs.buffer, b.leafInputs.byteOffset).copy(
        inputs,
        inputAt[j],
        b.leafInputAt[i],
        b.leafInputAt[i + 1],
      );
    Buffer.from(b.leafHashes.buffer, b.leafHashes.byteOffset).copy(hashes, j * 32, i * 32, i * 32 + 32);
    for (let s = b.subjectStart[i]; s < b.subjectStart[i + 1]; s++) subjects.push(b.subjects[s]);
    subjectStart[j + 1] = subjects.length;
  });
  return {
    leafInputs: inputs,
    leafInputAt: inputAt,
    types: keep.map((i) => b.types[i]),
    times: keep.map((i) => b.times[i]),
    payloadArea: b.payloadArea,
    payloadAt: Int32Array.from(keep, (i) => b.payloadAt[i]),
    payloadLen: Uint32Array.from(keep, (i) => b.payloadLen[i]),
    leafHashes: hashes,
    subjects,
    subjectStart,
    sides: [],
  };
}

/** Side tables the log may write in its transaction (their names go into SQL text). */
const SIDE_TABLES = new Set<string>([
  'alerts',
  'decisions',
  'users',
  'api_keys',
  'account_events',
  'alert_escalations',
  'alert_actions',
  'alert_intake_keys',
  'subject_pseudonyms',
  'alert_refs',
] satisfies SideTable[]);
const GUARD_FAILED = Symbol('guard');
const SIDE_COLUMN = /^[a-z_][a-z0-9_]*$/;
// The payload's UTF-8 bytes are stored as text (no string made for it on this thread); the salt as its 32 bytes.
const PAYLOAD_PLACEHOLDERS = ['?', '?', '?', 'CAST(? AS TEXT)', '?'];

/**
 * Integrates packed batches into the tiles and commits them with their payloads and a signed checkpoint,
 * in ONE SQLite transaction under BEGIN IMMEDIATE (the write lock), re-reading the tree size inside it so
 * several processes can append safely. Runs on the log's writer thread, or inline for an in-memory database.
 * Cost O(k + log n) per batch of k entries.
 */
export class SqliteBatchCommitter {
  private frontier: Frontier | undefined;
  private readonly signers: NoteSigner[];
  private readonly sideStmts = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly origin: string,
    signerKeys: string[],
  ) {
    this.signers = signerKeys.map((k) => newSigner(k));
  }

  commit(b: PackedBatch): CommitResult {
    const db = this.db;
    const readTileStmt = db.prepare('SELECT width, data FROM ledger_tiles WHERE level = ? AND idx = ?');
    const run = db.transaction((): CommitResult & { frontier: Frontier | undefined } => {
      const { size: oldSize } = db.prepare('SELECT size FROM ledger_state WHERE id = 1').get() as { size: number };
      // Side rows first, in entry order: an entry whose onlyIfWritten row is not written leaves the log,
      // so each later row receives its entry's index counted without the ones dropped before it.
      const sideWritten: boolean[] = [];
      const dropped: number[] = [];
      for (const s of b.sides) {
        const ok = this.insertSide(s, oldSize + s.entry - dropped.length);
        sideWritten.push(ok);
        if (!ok && s.onlyIfWritten) dropped.push(s.entry);
      }
      const kept = dropped.length ? withoutEntries(b, dropped) : b;
      const n = kept.types.length;
      if (n === 0) return { oldSize, newSize: oldSize, sideWritten, dropped, frontier: this.frontier };
      const readTile = (ref: TileRef) => {
        const row = readTileStmt.get(String(ref.level), ref.index) as { width: number; data: Buffer } | undefined;
        if (!row || row.width !== ref.width)
          throw new LedgerError(msg('ledger.tile-missing.stored', { tile: tilePath(ref) }));
        return row.data;
      };
      const entries = new Array<Uint8Array>(n);
      for (let i = 0; i < n; i++)
        entries[i] = kept.leafInputs.subarray(kept.leafInputAt[i] + 1, kept.leafInputAt[i + 1]);
      // Another process may have appended since our last batch: then rebuild the frontier from tiles.
      const frontier = this.frontier?.size === oldSize ? this.frontier : undefined;
      const r = integrate(oldSize, entries, readTile, frontier, kept.leafHashes);
      const upsert = db.prepare(
        'INSERT INTO ledger_tiles (level, idx, width, data) VALUES (?, ?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data',
      );
      for (const t of r.tiles) upsert.run(String(t.ref.level), t.ref.index, t.ref.width, t.data);
      this.insertPayloads(kept, oldSize);
      this.insertSubjects(kept, oldSize);
      const note = signCheckpoint({ origin: this.origin, size: r.newSize, root: r.root, extensions: [] }, this.signers);
      db.prepare('INSERT INTO ledger_checkpoints (size, note, created_at) VALUES (?, ?, ?)').run(
        r.newSize,
        note,
        new Date().toISOString(),
      );
      db.prepare('UPDATE ledger_state SET size = ?, root = ? WHERE id = 1').run(r.newSize, r.root.toString('hex'));
      return { oldSize, newSize: r.newSize, sideWritten, dropped, frontier: r.frontier };
    });
    try {
      const { frontier, ...result } = run.immediate();
      this.frontier = frontier;
      return result;
    } catch (e) {
      this.frontier = undefined;
      throw e;
    } finally {
      b.payloadArea.fill(0); // the salts are in the database now (or nowhere): no copy stays in memory
    }
  }

  /** Payload and salt are bound as bytes (no string per entry): the payload's UTF-8 stored as text, the salt as a BLOB. */
  private insertPayloads(b: PackedBatch, base: number): void {
    const area = Buffer.from(b.payloadArea.buffer, b.payloadArea.byteOffset, b.payloadArea.byteLength);
    insertRowsSqlite(
      this.db,
      'ledger_payloads',
      ['idx', 'type', 'time', 'payload', 'salt'],
      [],
      b.types.length,
      (i, c) => {
        switch (c) {
          case 0:
            return base + i;
          case 1:
            return b.types[i];
          case 2:
            return b.times[i];
          case 3:
            return b.payloadAt[i] < 0 ? null : area.subarray(b.payloadAt[i] + 32, b.payloadAt[i] + b.payloadLen[i]);
          default:
            return b.payloadAt[i] < 0 ? null : area.subarray(b.payloadAt[i], b.payloadAt[i] + 32);
        }
      },
      PAYLOAD_PLACEHOLDERS,
    );
  }

  /** One (subject, index) row per subject of each entry. */
  private insertSubjects(b: PackedBatch, base: number): void {
    const owner = new Array<number>(b.subjects.length);
    for (let i = 0; i < b.types.length; i++)
      for (let s = b.subjectStart[i]; s < b.subjectStart[i + 1]; s++) owner[s] = base + i;
    insertRowsSqlite(this.db, 'ledger_subjects', ['ref', 'idx'], [], b.subjects.length, (s, c) =>
      c === 0 ? b.subjects[s] : owner[s],
    );
  }

  /** One side row under a savepoint (a nested better-sqlite3 transaction): guard, claim, insert, its `also` rows and updates, or none. */
  private insertSide(s: PackedBatch['sides'][number], index: number): boolean {
    const values = { ...s.values, [s.indexColumn]: index };
    const write = this.db.transaction(() => {
      if (s.guard) {
        const where = Object.keys(s.guard.where);
        const set = Object.keys(s.guard.set);
        const sql = `UPDATE ${sideTable(s.guard.table)} SET ${set.map((c) => `${sideColumn(c)} = ?`).join(', ')} WHERE ${where.map((c) => `${sideColumn(c)} = ?`).join(' AND ')}`;
        if (
          this.statement(sql).run([...set.map((c) => s.guard!.set[c]), ...where.map((c) => s.guard!.where[c])])
            .changes !== 1
        )
          throw GUARD_FAILED;
      }
      if (s.claim && this.insertRow(s.claim.table, s.claim.values) === 0) throw GUARD_FAILED;
      if (this.insertRow(s.table, values) === 0) throw GUARD_FAILED;
      for (const a of s.also ?? []) this.insertRow(a.table, a.values);
      for (const u of s.updates ?? []) {
        const set = Object.keys(u.set);
        const where = Object.keys(u.where);
        // `IS`: equality that also matches NULL to NULL (and still uses an index).
        const sql = `UPDATE ${sideTable(u.table)} SET ${set.map((c) => `${sideColumn(c)} = ?`).join(', ')} WHERE ${where.map((c) => `${sideColumn(c)} IS ?`).join(' AND ')}`;
        this.statement(sql).run([...set.map((c) => u.set[c]), ...where.map((c) => u.where[c])]);
      }
    });
    try {
      write();
      return true;
    } catch (e) {
      if (e === GUARD_FAILED) return false;
      throw e;
    }
  }

  /** INSERT … ON CONFLICT DO NOTHING; the number of rows written (0 when the key was taken). */
  private insertRow(table: SideTable, values: Record<string, string | number | null>): number {
    const cols = Object.keys(values);
    const sql = `INSERT INTO ${sideTable(table)} (${cols.map(sideColumn).join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
    return this.statement(sql).run(cols.map((c) => values[c])).changes;
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.sideStmts.get(sql);
    if (!stmt) this.sideStmts.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }
}

export function sideTable(name: string): string {
  if (!SIDE_TABLES.has(name)) throw new LedgerError(msg('ledger.side-table', { name }));
  return name;
}

export function sideColumn(name: string): string {
  if (!SIDE_COLUMN.test(name)) throw new LedgerError(msg('ledger.side-column', { name }));
  return name;
}
