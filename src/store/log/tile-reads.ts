/**
 * Reading stored tiles (no lock needed: tiles are append-only and a checkpoint names its size). The same
 * SQL on both databases; a whole-log pass on PostgreSQL streams instead (postgres-tiles.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { TileRef } from '../../ledger';
import type { DB } from '../schema';

type Reader = Kysely<DB> | Transaction<DB>;

/** Every stored tile for a pass over the whole log, asked level by level in index order. */
export interface WholeLogTiles {
  read(ref: TileRef): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/** Raw bytes of a tile or entry bundle, as served under /log/tile/… ; partial widths are prefixes. */
export async function readTileBytes(db: Reader, ref: TileRef): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('ledger_tiles')
    .selectAll()
    .where('level', '=', String(ref.level))
    .where('idx', '=', ref.index)
    .executeTakeFirst();
  return cutTile(row, ref);
}

/** A stored tile cut to the width asked for (tiles only grow; a narrower one is a prefix). */
export function cutTile(row: { width: number; data: Buffer } | undefined, ref: TileRef): Buffer | undefined {
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

/**
 * A tile reader for reading the whole log in order (audits, exports): a request for tile i of a level
 * fetches tiles i … i+batch−1 of that level in one query and serves the next requests from them, while
 * the following batch is already being fetched (the database works while the caller hashes). Turns one
 * query per tile into one per `batch` tiles. Memory: two batches per level.
 */
export function sequentialTileReader(db: Reader, batch = 256): (ref: TileRef) => Promise<Buffer | undefined> {
  type Rows = Map<number, { width: number; data: Buffer }>;
  const fetch = async (level: string, from: number): Promise<Rows> => {
    const got = await db
      .selectFrom('ledger_tiles')
      .select(['idx', 'width', 'data'])
      .where('level', '=', level)
      .where('idx', '>=', from)
      .where('idx', '<', from + batch)
      .execute();
    return new Map(got.map((r) => [Number(r.idx), { width: r.width, data: r.data }]));
  };
  const levels = new Map<
    string,
    { from: number; rows: Rows; next: { from: number; rows: Promise<Rows> } | undefined }
  >();
  return async (ref) => {
    const level = String(ref.level);
    let cur = levels.get(level);
    if (!cur || ref.index < cur.from || ref.index >= cur.from + batch) {
      const next = cur?.next;
      const from = next && ref.index >= next.from && ref.index < next.from + batch ? next.from : ref.index;
      const rows = await (from === next?.from ? next.rows : fetch(level, from));
      cur = {
        from,
        rows,
        next: rows.size === batch ? { from: from + batch, rows: fetch(level, from + batch) } : undefined,
      };
      cur.next?.rows.catch(() => undefined); // not unhandled: a failed prefetch is reported when its tiles are asked for
      levels.set(level, cur);
    }
    return cutTile(cur.rows.get(ref.index), ref);
  };
}
