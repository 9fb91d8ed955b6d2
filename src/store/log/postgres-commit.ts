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
import { msg } from '../../domain/messages';
import type { BatchWriter } from './writers';
import { sideColumn, sideTable, withoutEntries, type CommitResult, type PackedBatch } from './sqlite-commit';
import type { SideTable, SideUpdate } from './entries';
import { copyInBinary, payloadsCopyData, subjectsCopyData, tilesCopyData } from './postgres-copy-in';

/** From this many entries a batch's payloads and subjects go by binary COPY (postgres-copy-in.ts), below in the one statement. */
export const COPY_MIN_ENTRIES = 64;

/**
 * PostgreSQL's BatchWriter: integrates each packed batch into the tiles and commits it with its payloads,
 * subjects, side rows and a signed checkpoint in ONE transaction, the state row locked FOR UPDATE (so
 * several servers append to one log safely) and the tree size re-read inside it. Batches are committed
 * one at a time in the order asked for. Each table gets one statement per batch (arrays through
 * unnest and data-modifying CTEs), so a batch costs a fixed ~8 round trips plus O(k + log n) work.
 */
export class PostgresBatchWriter implements BatchWriter {
  private frontier: Frontier | undefined;
  /**
   * The partial tiles at `frontier.size` (the ones the next batch extends), as this writer last committed
   * them: while no other server appended in between, a batch reads no tile from the database (a round
   * trip less per commit). Kept and dropped together with `frontier`.
   */
  private edge: Map<string, { width: number; data: Uint8Array }> | undefined;
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
      // One round trip: statements without parameters go as one simple query. The savepoint the side rows
      // in bulk start from is set in the same round trip.
      const bulk = sidesInBulkPossible(b.sides);
      const opened = (await c.query(
        `BEGIN; SELECT size FROM ledger_state WHERE id = 1 FOR UPDATE${bulk ? '; SAVEPOINT side_rows' : ''}`,
      )) as unknown as { rows: { size: string }[] }[];
      const oldSize = Number(opened[1].rows[0].size);
      // Side rows first, in entry order (see SqliteBatchCommitter.commit): a savepoint each, so a failed
      // guard or a taken unique key undoes that row alone; an onlyIfWritten loser leaves the batch.
      const { sideWritten, dropped } =
        (bulk ? await insertSidesInBulk(c, b.sides, oldSize) : undefined) ??
        (await this.insertSidesOneByOne(c, b.sides, oldSize));
      const kept = dropped.length ? withoutEntries(b, dropped) : b;
      const n = kept.types.length;
      if (n === 0) {
        await c.query('COMMIT');
        frontier = this.frontier; // the edge tiles stay those of this size
        return { oldSize, newSize: oldSize, sideWritten, dropped };
      }
      const cached = this.frontier?.size === oldSize ? this.frontier : undefined;
      // integrate() reads tiles synchronously: the partial tiles it extends (O(log n) of them), as this
      // writer committed them if nothing was appended since (size equal: the log only grows, and only
      // this writer's own commit set the cache), else prefetched.
      const needed = edgeTiles(oldSize);
      const tiles: Map<string, { width: number; data: Uint8Array }> =
        cached && this.edge && needed.every((t) => this.edge!.get(`${t.level}/${t.index}`)?.width === t.width)
          ? this.edge
          : new Map();
      if (needed.length && tiles !== this.edge) {
        const got = await c.query<{ level: string; idx: number; width: number; data: Buffer }>(
          'SELECT t.level, t.idx, t.width, t.data FROM ledger_tiles t JOIN unnest($1::text[], $2::bigint[]) AS w(level, idx) ON t.level = w.level AND t.idx = w.idx',
          [needed.map((r) => String(r.level)), needed.map((r) => r.index)],
        );
        for (const row of got.rows) tiles.set(`${row.level}/${Number(row.idx)}`, row);
      }
      const readTile = (ref: TileRef) => {
        const row = tiles.get(`${ref.level}/${ref.index}`);
        if (!row || row.width !== ref.width)
          throw new LedgerError(msg('ledger.tile-missing.stored', { tile: tilePath(ref) }));
        return row.data;
      };
      const entries = new Array<Uint8Array>(n);
      for (let i = 0; i < n; i++)
        entries[i] = kept.leafInputs.subarray(kept.leafInputAt[i] + 1, kept.leafInputAt[i + 1]);
      const r = integrate(oldSize, entries, readTile, cached, kept.leafHashes);
      const edge = nextEdge(r.newSize, r.tiles, tiles);
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
      const note = signCheckpoint({ origin: this.origin, size: r.newSize, root: r.root, extensions: [] }, this.signers);
      if (n >= COPY_MIN_ENTRIES) {
        // Large batch: payloads, subjects and new tiles by binary COPY (round trips more, a fraction of the
        // parsing). Only the tiles that were partial at oldSize exist already (prefetched above): those are
        // updated; every other tile is new (a stored one would fail the COPY and roll the batch back).
        await copyInBinary(
          c,
          'ledger_payloads',
          ['idx', 'type', 'time', 'payload', 'salt'],
          payloadsCopyData(kept, oldSize),
        );
        if (kept.subjects.length)
          await copyInBinary(c, 'ledger_subjects', ['ref', 'idx'], subjectsCopyData(kept, oldSize));
        const stored = new Set(needed.map((t) => `${t.level}/${t.index}`));
        const fresh = r.tiles.filter((t) => !stored.has(`${t.ref.level}/${t.ref.index}`));
        const grown = r.tiles.filter((t) => stored.has(`${t.ref.level}/${t.ref.index}`));
        if (fresh.length)
          await copyInBinary(c, 'ledger_tiles', ['level', 'idx', 'width', 'data'], tilesCopyData(fresh));
        await c.query(
          `WITH tiles AS (
             INSERT INTO ledger_tiles (level, idx, width, data)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bytea[])
             ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data),
           checkpoint AS (
             INSERT INTO ledger_checkpoints (size, note, created_at) VALUES ($5, $6, $7))
           UPDATE ledger_state SET size = $5, root = $8 WHERE id = 1`,
          [
            grown.map((t) => String(t.ref.level)),
            grown.map((t) => t.ref.index),
            grown.map((t) => t.ref.width),
            grown.map((t) => t.data),
            r.newSize,
            note,
            new Date().toISOString(),
            r.root.toString('hex'),
          ],
        );
        await c.query('COMMIT');
        frontier = r.frontier;
        this.edge = edge;
        return { oldSize, newSize: r.newSize, sideWritten, dropped };
      }
      // Tiles, payloads, subjects, checkpoint and tree state in one statement (data-modifying CTEs all run).
      await c.query(
        `WITH tiles AS (
           INSERT INTO ledger_tiles (level, idx, width, data)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bytea[])
           ON CONFLICT (level, idx) DO UPDATE SET width = excluded.width, data = excluded.data),
         payloads AS (
           INSERT INTO ledger_payloads (idx, type, time, payload, salt)
           SELECT * FROM unnest($5::bigint[], $6::text[], $7::text[], $8::text[], $9::bytea[])),
         subjects AS (
           INSERT INTO ledger_subjects (ref, idx) SELECT * FROM unnest($10::text[], $11::bigint[])),
         checkpoint AS (
           INSERT INTO ledger_checkpoints (size, note, created_at) VALUES ($12, $13, $14))
         UPDATE ledger_state SET size = $12, root = $15 WHERE id = 1`,
        [
          r.tiles.map((t) => String(t.ref.level)),
          r.tiles.map((t) => t.ref.index),
          r.tiles.map((t) => t.ref.width),
          r.tiles.map((t) => t.data),
          idx,
          kept.types,
          kept.times,
          payloads,
          salts,
          kept.subjects,
          subjectIdx,
          r.newSize,
          note,
          new Date().toISOString(),
          r.root.toString('hex'),
        ],
      );
      await c.query('COMMIT');
      frontier = r.frontier;
      this.edge = edge;
      return { oldSize, newSize: r.newSize, sideWritten, dropped };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.frontier = frontier;
      if (!frontier) this.edge = undefined;
      c.release();
      b.payloadArea.fill(0); // the salts are in the database now (or nowhere): no copy stays in memory
    }
  }

  private async insertSidesOneByOne(
    c: pg.PoolClient,
    sides: PackedBatch['sides'],
    oldSize: number,
  ): Promise<{ sideWritten: boolean[]; dropped: number[] }> {
    const sideWritten: boolean[] = [];
    const dropped: number[] = [];
    for (const s of sides) {
      const ok = await this.insertSide(c, s, oldSize + s.entry - dropped.length);
      sideWritten.push(ok);
      if (!ok && s.onlyIfWritten) dropped.push(s.entry);
    }
    return { sideWritten, dropped };
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
    if (ok) for (const u of s.updates ?? []) await updateRow(c, u);
    await c.query(ok ? 'RELEASE SAVEPOINT side_row' : 'ROLLBACK TO SAVEPOINT side_row');
    return ok;
  }
}

/** The tiles a batch appended at `size` extends: the partial hash tiles and the partial entry bundle. O(log n). */
function edgeTiles(size: number): TileRef[] {
  const out: TileRef[] = partialTiles(size);
  if (size % 256) out.push({ level: 'entries', index: Math.floor(size / 256), width: size % 256 });
  return out;
}

/**
 * The edge tiles at `newSize` after a batch: each is a tile the batch wrote (`written`), or one it did not
 * touch and so is as it was (`before`). Undefined if one is in neither (then the next batch reads them).
 */
function nextEdge(
  newSize: number,
  written: { ref: TileRef; data: Uint8Array }[],
  before: Map<string, { width: number; data: Uint8Array }>,
): Map<string, { width: number; data: Uint8Array }> | undefined {
  const byKey = new Map<string, { width: number; data: Uint8Array }>();
  for (const t of written) byKey.set(`${t.ref.level}/${t.ref.index}`, { width: t.ref.width, data: t.data });
  const edge = new Map<string, { width: number; data: Uint8Array }>();
  for (const t of edgeTiles(newSize)) {
    const k = `${t.level}/${t.index}`;
    const tile = byKey.get(k) ?? before.get(k);
    if (!tile || tile.width !== t.width) return undefined;
    edge.set(k, tile);
  }
  return edge;
}

/** A side row's update: a null where-value matches NULL (IS NULL, so an index on the other columns still serves). */
async function updateRow(c: pg.PoolClient, u: SideUpdate): Promise<void> {
  const set = Object.keys(u.set);
  const where = Object.keys(u.where);
  const params: (string | number | null)[] = set.map((k) => u.set[k]);
  const conditions = where.map((k) => {
    if (u.where[k] === null) return `${sideColumn(k)} IS NULL`;
    params.push(u.where[k]);
    return `${sideColumn(k)} = $${params.length}`;
  });
  await c.query(
    `UPDATE ${sideTable(u.table)} SET ${set.map((k, i) => `${sideColumn(k)} = $${i + 1}`).join(', ')} WHERE ${conditions.join(' AND ')}`,
    params,
  );
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

type Side = PackedBatch['sides'][number];
type Row = Record<string, string | number | null>;

/**
 * The side rows of a batch in a few statements instead of four or more round trips each (savepoint, guard,
 * claim, row, release): one UPDATE per guarded table for the guards, one INSERT per table and column set
 * for the claims, then the rows, then the `also` rows. The result is the one-by-one result: guards touch
 * distinct rows (sidesInBulkPossible), so each one's effect is independent of the others; claims are
 * inserted in entry order with ON CONFLICT DO NOTHING, so of equal claims the first wins, and a claim
 * already stored loses; an entry whose guard or claim fails writes nothing, and an onlyIfWritten loser
 * leaves the batch and later entries take its index. Returns undefined (having undone its work) when the
 * one-by-one path must decide: a guard that matched more than one row, a guard that held while its claim
 * failed (one by one, the guard's update is undone with it), or a row whose own unique key is taken (it
 * would shift the indices after it).
 * Cost: O(k) rows in O(t) round trips for t distinct (table, columns) groups.
 */
async function insertSidesInBulk(
  c: pg.PoolClient,
  sides: Side[],
  oldSize: number,
): Promise<{ sideWritten: boolean[]; dropped: number[] } | undefined> {
  // The caller checked sidesInBulkPossible and set SAVEPOINT side_rows.
  const undo = async () => {
    await c.query('ROLLBACK TO SAVEPOINT side_rows');
    return undefined;
  };
  // 0. Guards: which changed exactly one row. Guards on one row run in entry order, one statement per round
  // (the first guard of every row, then the second…), so a later one sees what an earlier one set.
  const guarded = new Array<boolean>(sides.length).fill(true);
  for (const group of groupGuards(sides)) {
    for (const round of guardRounds(group, sides)) {
      const changed = await updateGroup(
        c,
        group.table,
        group.set,
        group.where,
        round.map((i) => sides[i].guard!),
      );
      const hits = new Array<number>(round.length).fill(0);
      for (const k of changed) hits[k]++;
      if (hits.some((h) => h > 1)) return undo();
      round.forEach((i, k) => (guarded[i] = hits[k] === 1));
    }
  }
  // 1. Claims (of entries whose guard held): which were new. Returned rows are matched to the entries in
  // order (the first of equal claims).
  const claimed = guarded.slice();
  const withClaim = sides.map((s, i) => ({ i, s })).filter((x) => x.s.claim && guarded[x.i]);
  for (const group of groupByTableAndColumns(withClaim, (x) => x.s.claim!)) {
    const won = await insertGroup(c, group.table, group.columns, group.rows, group.columns);
    const left = new Map<string, number>();
    for (const r of won) left.set(rowKey(group.columns, r), (left.get(rowKey(group.columns, r)) ?? 0) + 1);
    let matched = 0;
    for (const x of group.items) {
      const k = rowKey(group.columns, x.s.claim!.values);
      const n = left.get(k) ?? 0;
      claimed[x.i] = n > 0;
      if (n > 0) {
        left.set(k, n - 1);
        matched++;
      }
      // Its guard's update stays in the table: one by one it would have been undone.
      else if (x.s.guard) return undo();
    }
    // A column whose text form differs from what was sent (a typed column): let the one-by-one path decide.
    if (matched !== won.length) return undo();
  }
  // 2. Indices as the one-by-one path gives them, then the rows of the entries whose guard and claim held.
  const sideWritten = claimed.slice();
  const dropped: number[] = [];
  const rows: { i: number; s: Side; values: Row }[] = [];
  for (let i = 0; i < sides.length; i++) {
    const s = sides[i];
    if (!claimed[i]) {
      if (s.onlyIfWritten) dropped.push(s.entry);
      continue;
    }
    rows.push({ i, s, values: { ...s.values, [s.indexColumn]: oldSize + s.entry - dropped.length } });
  }
  for (const group of groupByTableAndColumns(rows, (x) => ({ table: x.s.table, values: x.values }))) {
    const written = await insertGroup(c, group.table, group.columns, group.rows, [group.items[0].s.indexColumn]);
    if (written.length !== group.rows.length) return undo();
  }
  // 3. The rows kept beside them when absent.
  const also = rows.flatMap((x) => (x.s.also ?? []).map((a) => ({ a })));
  for (const group of groupByTableAndColumns(also, (x) => x.a))
    await insertGroup(c, group.table, group.columns, group.rows);
  // 4. The updates of the entries written: each touches only its own guard's row (sidesInBulkPossible). Of
  // several written entries on one row, in rounds as the guards: the first entry's updates, then the second's…
  const round = new Map<string, number>();
  const updateRounds: SideUpdate[][] = [];
  for (const { s } of rows) {
    if (!s.updates?.length) continue;
    const g = s.guard!;
    const row = JSON.stringify([
      g.table,
      rowKey(
        Object.keys(g.where)
          .filter((k) => !(k in g.set))
          .sort(),
        g.where,
      ),
    ]);
    const r = round.get(row) ?? 0;
    round.set(row, r + 1);
    (updateRounds[r] ??= []).push(...s.updates);
  }
  for (const updates of updateRounds)
    for (const group of groupUpdates(updates))
      await updateGroup(c, group.table, group.set, group.where, group.updates, group.nullWhere);
  // The savepoint is left in place (released by the commit): one round trip fewer.
  return { sideWritten, dropped };
}

/**
 * Whether insertSidesInBulk can take these side rows: more than one; no table in two roles (guarded,
 * claimed, inserted, kept beside); per guarded table one set of columns and a key (where-columns no guard
 * sets), so each guard names its row; guards on one row run in rounds (guardRounds). O(k).
 */
function sidesInBulkPossible(sides: Side[]): boolean {
  if (sides.length < 2) return false;
  const guardTables = new Set(sides.flatMap((s) => (s.guard ? [s.guard.table] : [])));
  const claimTables = new Set(sides.flatMap((s) => (s.claim ? [s.claim.table] : [])));
  const rowTables = new Set(sides.map((s) => s.table));
  const alsoTables = new Set(sides.flatMap((s) => (s.also ?? []).map((a) => a.table)));
  const roles = [guardTables, claimTables, rowTables, alsoTables];
  for (let i = 0; i < roles.length; i++)
    for (let j = i + 1; j < roles.length; j++) for (const t of roles[i]) if (roles[j].has(t)) return false;
  const updateTables = new Set(sides.flatMap((s) => (s.updates ?? []).map((u) => u.table)));
  for (const t of updateTables) if (claimTables.has(t) || rowTables.has(t) || alsoTables.has(t)) return false;
  if (!sides.every(updatesOnlyItsGuardRow)) return false;
  if (guardTables.size === 0) return true;
  const groups = groupGuards(sides);
  if (groups.length !== guardTables.size) return false;
  for (const g of groups) {
    if (g.where.every((k) => g.set.includes(k))) return false; // no key: which rows it names is unknown
    // Two guards on one row run in rounds, all updates after all guards: fine while the updates neither
    // test nor set what the guards set, nor set what they test.
    if (guardRounds(g, sides).length > 1) {
      const updates = sides.flatMap((s) => (s.updates ?? []).filter((u) => u.table === g.table));
      const touches = (cols: string[], r: Record<string, unknown>) => cols.some((k) => k in r);
      if (updates.some((u) => touches(g.set, u.set) || touches(g.set, u.where) || touches(g.where, u.set)))
        return false;
    }
  }
  return true;
}

/**
 * A guard group's entries in rounds: round r holds the (r+1)-th guard of each row, a row named by the
 * where-values of the columns no guard of the group sets (its key). O(k).
 */
function guardRounds(g: { set: string[]; where: string[]; items: number[] }, sides: Side[]): number[][] {
  const key = g.where.filter((k) => !g.set.includes(k));
  const seen = new Map<string, number>();
  const rounds: number[][] = [];
  for (const i of g.items) {
    const k = rowKey(key, sides[i].guard!.where);
    const r = seen.get(k) ?? 0;
    seen.set(k, r + 1);
    (rounds[r] ??= []).push(i);
  }
  return rounds;
}

/**
 * Whether a side row's updates can run in bulk: each touches only the row its guard changed (same table,
 * the guard's where-values on every column it does not set, its key, and no update changes that key), so,
 * guards naming distinct rows, no entry's updates meet another entry's row; and its updates give the same
 * row in any order or at once (updatesCommute). No updates: true.
 */
function updatesOnlyItsGuardRow(s: Side): boolean {
  if (!s.updates?.length) return true;
  const g = s.guard;
  if (!g) return false;
  const key = Object.keys(g.where).filter((k) => !(k in g.set));
  const keyed = s.updates.every(
    (u) =>
      u.table === g.table &&
      key.length > 0 &&
      key.every((k) => k in u.where && u.where[k] === g.where[k] && !(k in u.set)),
  );
  return keyed && updatesCommute(s.updates);
}

/**
 * Whether updates of one row give the same result applied one by one in order, in any other order, or in
 * one statement (where a row matched by two source rows takes one of them): every pair is independent (no
 * column one sets is one the other sets or tests) or exclusive (they test a column for different values,
 * and neither sets it to the value the other tests, so at most one ever applies). O(m²) for m updates.
 */
function updatesCommute(updates: SideUpdate[]): boolean {
  const meets = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(a).some((k) => k in b);
  for (let i = 0; i < updates.length; i++)
    for (let j = i + 1; j < updates.length; j++) {
      const [u, v] = [updates[i], updates[j]];
      const independent = !meets(u.set, v.where) && !meets(v.set, u.where) && !meets(u.set, v.set);
      const exclusive = Object.keys(u.where).some(
        (k) =>
          k in v.where &&
          u.where[k] !== v.where[k] &&
          (!(k in u.set) || u.set[k] !== v.where[k]) &&
          (!(k in v.set) || v.set[k] !== u.where[k]),
      );
      if (!independent && !exclusive) return false;
    }
  return true;
}

/** Updates grouped by (table, set columns, where columns, which where-values are null), in first-seen order. O(u). */
function groupUpdates(updates: SideUpdate[]) {
  const groups = new Map<
    string,
    { table: SideTable; set: string[]; where: string[]; nullWhere: string[]; updates: SideUpdate[] }
  >();
  for (const u of updates) {
    const set = Object.keys(u.set).sort();
    const nullWhere = Object.keys(u.where)
      .filter((k) => u.where[k] === null)
      .sort();
    const where = Object.keys(u.where)
      .filter((k) => u.where[k] !== null)
      .sort();
    const key = JSON.stringify([u.table, set, where, nullWhere]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { table: u.table, set, where, nullWhere, updates: [] }));
    g.updates.push(u);
  }
  return [...groups.values()];
}

/** The guards grouped by (table, set columns, where columns), in first-seen order: entry positions. O(k). */
function groupGuards(sides: Side[]): { table: SideTable; set: string[]; where: string[]; items: number[] }[] {
  const groups = new Map<string, { table: SideTable; set: string[]; where: string[]; items: number[] }>();
  sides.forEach((s, i) => {
    if (!s.guard) return;
    const set = Object.keys(s.guard.set).sort();
    const where = Object.keys(s.guard.where).sort();
    const key = JSON.stringify([s.guard.table, set, where]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { table: s.guard.table, set, where, items: [] }));
    g.items.push(i);
  });
  return [...groups.values()];
}

/**
 * One UPDATE for a group of guards (or of updates): each one's set-values applied to the rows matching its
 * where-values (both typed by the table itself, as in insertGroup) and NULL in the `nullWhere` columns.
 * Returns, per row changed, the guard's position in `guards`.
 */
async function updateGroup(
  c: pg.PoolClient,
  table: SideTable,
  set: string[],
  where: string[],
  guards: { set: Row; where: Row }[],
  nullWhere: string[] = [],
): Promise<number[]> {
  const t = sideTable(table);
  const conditions = [
    ...where.map((k) => `${t}.${sideColumn(k)} = w.${sideColumn(k)}`),
    ...nullWhere.map((k) => `${t}.${sideColumn(k)} IS NULL`),
  ];
  const text = `UPDATE ${t} SET ${set.map((k) => `${sideColumn(k)} = v.${sideColumn(k)}`).join(', ')}
    FROM json_populate_recordset(NULL::${t}, $1::json) WITH ORDINALITY AS v
    JOIN json_populate_recordset(NULL::${t}, $2::json) WITH ORDINALITY AS w ON w.ordinality = v.ordinality
    WHERE ${conditions.join(' AND ')}
    RETURNING v.ordinality - 1 AS k`;
  const r = await c.query<{ k: string }>(text, [
    JSON.stringify(guards.map((g) => g.set)),
    JSON.stringify(guards.map((g) => g.where)),
  ]);
  return r.rows.map((row) => Number(row.k));
}

/** Items grouped by (table, sorted column names), groups and items in first-seen order. O(k). */
function groupByTableAndColumns<T>(
  items: T[],
  rowOf: (x: T) => { table: SideTable; values: Row },
): { table: SideTable; columns: string[]; items: T[]; rows: Row[] }[] {
  const groups = new Map<string, { table: SideTable; columns: string[]; items: T[]; rows: Row[] }>();
  for (const x of items) {
    const { table, values } = rowOf(x);
    const columns = Object.keys(values).sort();
    const key = `${table}(${columns.join(',')})`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { table, columns, items: [], rows: [] }));
    g.items.push(x);
    g.rows.push(values);
  }
  return [...groups.values()];
}

/**
 * INSERT … SELECT from a JSON array of rows (typed by the table itself, in array order) ON CONFLICT DO
 * NOTHING; returns the `returning` columns of the rows written, as text.
 */
async function insertGroup(
  c: pg.PoolClient,
  table: SideTable,
  columns: string[],
  rows: Row[],
  returning: string[] = [],
): Promise<Record<string, string | null>[]> {
  const t = sideTable(table);
  const cols = columns.map(sideColumn).join(', ');
  const ret = returning.length
    ? ` RETURNING ${returning.map((k) => `${sideColumn(k)}::text AS ${sideColumn(k)}`).join(', ')}`
    : '';
  const text = `INSERT INTO ${t} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${t}, $1::json) ON CONFLICT DO NOTHING${ret}`;
  return (await c.query<Record<string, string | null>>(text, [JSON.stringify(rows)])).rows;
}

/** A row's values as one comparable string (numbers and text alike as text, as RETURNING …::text gives them). */
function rowKey(columns: string[], r: Record<string, string | number | null | undefined>): string {
  return JSON.stringify(columns.map((k) => (r[k] === null || r[k] === undefined ? null : String(r[k]))));
}
