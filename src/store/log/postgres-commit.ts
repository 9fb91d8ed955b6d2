import type pg from 'pg';
import {
  signCheckpoint,
  LedgerError,
  newSigner,
  type NoteSigner,
  type Frontier,
  integrate,
  partialTiles,
  tilePath,
  type TileRef,
} from '../../ledger';
import type { BatchWriter } from './writers';
import { sideColumn, sideTable, withoutEntries, type CommitResult, type PackedBatch } from './sqlite-commit';
import type { SideTable } from './entries';

/**
 * PostgreSQL's BatchWriter: integrates each packed batch into the tiles and commits it with its payloads,
 * subjects, side rows and a signed checkpoint in ONE transaction, the state row locked FOR UPDATE (so
 * several servers append to one log safely) and the tree size re-read inside it. Batches are committed
 * one at a time in the order asked for. Each table gets one statement per batch (arrays through
 * unnest), so a batch costs a fixed ~8 round trips plus O(k + log n) work.
 */
export class PostgresBatchWriter implements BatchWriter {
  private frontier: Frontier | undefined;
  private readonly signers: NoteSigner[];
  private chain: Promise<unknown> = Promise.resolve();
  /** Commits the writer answers one at a time: the Ledger gathers entries while one is in flight instead of queueing small batches. */
  readonly pipelined = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly origin: string,
    signerKeys: string[],
  ) {
    this.signers = signerKeys.map((k) => newSigner(k));
  }

  commit(batch: PackedBatch): Promise<CommitResult> {
    // The caller releases its batch as soon as this returns (BatchWriter.commit): keep the columns. O(k).
    const b: PackedBatch = {
      ...batch,
      types: batch.types.slice(),
      times: batch.times.slice(),
      subjects: batch.subjects.slice(),
      sides: batch.sides.slice(),
    };
    const done = this.chain.then(() => this.commitNow(b));
    this.chain = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    await this.chain;
  }

  private async commitNow(b: PackedBatch): Promise<CommitResult> {
    const c = await this.pool.connect();
    let frontier: Frontier | undefined;
    try {
      await c.query('BEGIN');
      const oldSize = Number(
        (await c.query<{ size: string }>('SELECT size FROM ledger_state WHERE id = 1 FOR UPDATE')).rows[0].size,
      );
      // Side rows first, in entry order (see SqliteBatchCommitter.commit): a savepoint each, so a failed
      // guard or a taken unique key undoes that row alone; an onlyIfWritten loser leaves the batch.
      const sideWritten: boolean[] = [];
      const dropped: number[] = [];
      for (const s of b.sides) {
        const ok = await this.insertSide(c, s, oldSize + s.entry - dropped.length);
        sideWritten.push(ok);
        if (!ok && s.onlyIfWritten) dropped.push(s.entry);
      }
      const kept = dropped.length ? withoutEntries(b, dropped) : b;
      const n = kept.types.length;
      if (n === 0) {
        await c.query('COMMIT');
        frontier = this.frontier;
        return { oldSize, newSize: oldSize, sideWritten, dropped };
      }
      const cached = this.frontier?.size === oldSize ? this.frontier : undefined;
      // integrate() reads tiles synchronously: prefetch the partial tiles it extends (O(log n) of them).
      const needed: TileRef[] = partialTiles(oldSize);
      if (oldSize % 256) needed.push({ level: 'entries', index: Math.floor(oldSize / 256), width: oldSize % 256 });
      const tiles = new Map<string, { width: number; data: Buffer }>();
      if (needed.length) {
        const got = await c.query<{ level: string; idx: number; width: number; data: Buffer }>(
          'SELECT t.level, t.idx, t.width, t.data FROM ledger_tiles t JOIN unnest($1::text[], $2::bigint[]) AS w(level, idx) ON t.level = w.level AND t.idx = w.idx',
          [needed.map((r) => String(r.level)), needed.map((r) => r.index)],
        );
        for (const row of got.rows) tiles.set(`${row.level}/${Number(row.idx)}`, row);
      }
      const readTile = (ref: TileRef) => {
        const row = tiles.get(`${ref.level}/${ref.index}`);
        if (!row || row.width !== ref.width)
          throw new LedgerError('tile-missing', `stored tile ${tilePath(ref)} missing`);
        return row.data;
      };
      const entries = new Array<Uint8Array>(n);
      for (let i = 0; i < n; i++)
        entries[i] = kept.leafInputs.subarray(kept.leafInputAt[i] + 1, kept.leafInputAt[i + 1]);
      const r = integrate(oldSize, entries, readTile, cached, kept.leafHashes);
      const area = Buffer.from(kept.payloadArea.buffer, kept.payloadArea.byteOffset, kept.payloadArea.byteLength);
      const idx = new Array<number>(n);
      const payloads = new Array<string | null>(n);
      const salts = new Array<Buffer | null>(n);
      for (let i = 0; i < n; i++) {
        idx[i] = oldSize + i;
        const at = kept.payloadAt[i];
        payloads[i] = at < 0 ? null : area.toString('utf8', at + 32, at + kept.payloadLen[i]);
        salts[i] = at < 0 ? null : area.subarray(at, at + 32);
      }
      const subjectIdx = new Array<number>(kept.subjects.length);
      for (let i = 0; i < n; i++)
        for (let s = kept.subjectStart[i]; s < kept.subjectStart[i + 1]; s++) subjectIdx[s] = oldSize + i;
      await c.query(
        'INSERT INTO ledger_tiles (level, idx, width, data) SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bytea[]) ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data',
        [
          r.tiles.map((t) => String(t.ref.level)),
          r.tiles.map((t) => t.ref.index),
          r.tiles.map((t) => t.ref.width),
          r.tiles.map((t) => t.data),
        ],
      );
      await c.query(
        'INSERT INTO ledger_payloads (idx, type, time, payload, salt) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bytea[])',
        [idx, kept.types, kept.times, payloads, salts],
      );
      if (kept.subjects.length)
        await c.query('INSERT INTO ledger_subjects (ref, idx) SELECT * FROM unnest($1::text[], $2::bigint[])', [
          kept.subjects,
          subjectIdx,
        ]);
      const note = signCheckpoint({ origin: this.origin, size: r.newSize, root: r.root, extensions: [] }, this.signers);
      await c.query('INSERT INTO ledger_checkpoints (size, note, created_at) VALUES ($1, $2, $3)', [
        r.newSize,
        note,
        new Date().toISOString(),
      ]);
      await c.query('UPDATE ledger_state SET size = $1, root = $2 WHERE id = 1', [r.newSize, r.root.toString('hex')]);
      await c.query('COMMIT');
      frontier = r.frontier;
      return { oldSize, newSize: r.newSize, sideWritten, dropped };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.frontier = frontier;
      c.release();
      b.payloadArea.fill(0); // the salts are in the database now (or nowhere): no copy stays in memory
    }
  }

  private async insertSide(c: pg.PoolClient, s: PackedBatch['sides'][number], index: number): Promise<boolean> {
    const values = { ...s.values, [s.indexColumn]: index };
    await c.query('SAVEPOINT side_row');
    let ok = true;
    if (s.guard) {
      const set = Object.keys(s.guard.set);
      const where = Object.keys(s.guard.where);
      const text = `UPDATE ${sideTable(s.guard.table)} SET ${set.map((k, i) => `${sideColumn(k)} = $${i + 1}`).join(', ')} WHERE ${where.map((k, i) => `${sideColumn(k)} = $${set.length + i + 1}`).join(' AND ')}`;
      ok =
        (await c.query(text, [...set.map((k) => s.guard!.set[k]), ...where.map((k) => s.guard!.where[k])])).rowCount ===
        1;
    }
    if (ok && s.claim) ok = (await insertRow(c, s.claim.table, s.claim.values)) === 1;
    if (ok) ok = (await insertRow(c, s.table, values)) === 1;
    if (ok) for (const a of s.also ?? []) await insertRow(c, a.table, a.values);
    await c.query(ok ? 'RELEASE SAVEPOINT side_row' : 'ROLLBACK TO SAVEPOINT side_row');
    return ok;
  }
}

/** INSERT … ON CONFLICT DO NOTHING; the number of rows written (0 when the key was taken). */
async function insertRow(
  c: pg.PoolClient,
  table: SideTable,
  values: Record<string, string | number | null>,
): Promise<number> {
  const cols = Object.keys(values);
  const text = `INSERT INTO ${sideTable(table)} (${cols.map(sideColumn).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`;
  return (
    (
      await c.query(
        text,
        cols.map((k) => values[k]),
      )
    ).rowCount ?? 0
  );
}
