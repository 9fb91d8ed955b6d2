/**
 * C2SP tlog-tiles: hash tiles of height 8 (256 hashes), entry bundles, the
 * `tile/<L>/x001/x234/067[.p/<W>]` path encoding, which tiles change when the tree grows,
 * integration of new entries into tiles, and HashReaders backed by tiles so proofs and
 * audits work from tiles alone.
 *
 * A tile at level L, index N holds the Merkle hashes at tree level 8·L with indices
 * N·256 … N·256+W-1. A log of size s has, at each level L, floor(s / 256^L) such hashes;
 * the last tile of a level is partial when that count is not a multiple of 256.
 */
import { LedgerError, type LedgerMessage } from './errors';
import { msg } from '../domain/messages';
import { foldTile, leafHashInto } from './tile-hash.mjs';
import {
  Frontier,
  HASH_SIZE,
  leafHash,
  nodeHash,
  type AsyncHashReader,
  type Hash,
  type HashReader,
  type NodeId,
} from './merkle';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** Largest entry an entry bundle can carry (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 65535;

/** A hash tile (level 0…63) or an entry bundle (level 'entries'); width 1…256 (256 = full). */
export interface TileRef {
  level: number | 'entries';
  index: number;
  width: number;
}

export interface TileData {
  ref: TileRef;
  /** Path relative to the log prefix, e.g. `tile/0/x001/067.p/12`. */
  path: string;
  data: Buffer;
}

/** Synchronous tile source (embedded store, in-memory map, files). Must throw if absent. */
export type TileReader = (ref: TileRef) => Uint8Array;
/** Asynchronous tile source (HTTP, PostgreSQL). Must reject if absent. */
export type AsyncTileReader = (ref: TileRef) => Promise<Uint8Array>;

const TILE_BASE = TILE_WIDTH; // 256 = 2^TILE_HEIGHT

/** Number of hashes stored at tile level `level` for a tree of `size`: floor(size / 256^level). */
export function levelCount(level: number, size: number): number {
  return Math.floor(size / TILE_BASE ** level);
}

/** Width of tile (level, index) in a tree of `size`: 0 (absent) … 256 (full). */
export function tileWidth(level: number, index: number, size: number): number {
  const n = levelCount(level, size) - index * TILE_WIDTH;
  return n <= 0 ? 0 : Math.min(TILE_WIDTH, n);
}

/** Zero-padded three-digit path elements, all but the last prefixed with x: 1234067 → x001/x234/067. */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new LedgerError(msg('ledger.bad-tile-index', { got: n }));
  let s = String(n % 1000).padStart(3, '0');
  let rest = Math.floor(n / 1000);
  while (rest > 0) {
    s = `x${String(rest % 1000).padStart(3, '0')}/${s}`;
    rest = Math.floor(rest / 1000);
  }
  return s;
}

/** Path of a tile or entry bundle, relative to the log prefix. */
export function tilePath(ref: TileRef): string {
  const level = ref.level === 'entries' ? 'entries' : String(ref.level);
  if (ref.level !== 'entries' && (!Number.isInteger(ref.level) || ref.level < 0 || ref.level > 63)) {
    throw new LedgerError(msg('ledger.bad-tile-level', { got: ref.level }));
  }
  if (!Number.isInteger(ref.width) || ref.width < 1 || ref.width > TILE_WIDTH) {
    throw new LedgerError(msg('ledger.bad-tile-width', { got: ref.width }));
  }
  const base = `tile/${level}/${encodeTileIndex(ref.index)}`;
  return ref.width === TILE_WIDTH ? base : `${base}.p/${ref.width}`;
}

/** Strict parse of a tile path (`tile/…`, no leading slash); throws naming the bad element. */
export function parseTilePath(path: string): TileRef {
  const bad = (why: LedgerMessage): LedgerError =>
    new LedgerError(why, [{ field: 'path', expected: 'tile/<L>/<N>[.p/<W>]', got: path.slice(0, 120) }]);
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) throw bad(msg('ledger.bad-tile-path.shape'));
  const levelStr = parts[1];
  let level: number | 'entries';
  if (levelStr === 'entries') level = 'entries';
  else if (/^(0|[1-9][0-9]?)$/.test(levelStr) && Number(levelStr) <= 63) level = Number(levelStr);
  else throw bad(msg('ledger.bad-tile-path.level', { level: levelStr }));
  let rest = parts.slice(2);
  let width = TILE_WIDTH;
  const last = rest[rest.length - 1];
  if (rest.length >= 2 && /\.p$/.test(rest[rest.length - 2])) {
    if (!/^[1-9][0-9]{0,2}$/.test(last) || Number(last) > 255)
      throw bad(msg('ledger.bad-tile-path.width', { width: last }));
    width = Number(last);
    rest = rest.slice(0, -1);
    rest[rest.length - 1] = rest[rest.length - 1].slice(0, -2);
  }
  let index = 0;
  rest.forEach((el, i) => {
    const isLast = i === rest.length - 1;
    const m = isLast ? /^([0-9]{3})$/.exec(el) : /^x([0-9]{3})$/.exec(el);
    if (!m)
      throw bad(
        isLast
          ? msg('ledger.bad-tile-path.lastElement', { element: el })
          : msg('ledger.bad-tile-path.element', { element: el }),
      );
    if (i === 0 && !isLast && m[1] === '000') throw bad(msg('ledger.bad-tile-path.leadingZero'));
    index = index * 1000 + Number(m[1]);
  });
  if (!Number.isSafeInteger(index)) throw bad(msg('ledger.bad-tile-path.indexTooLarge'));
  return { level, index, width };
}

/** Every hash tile of a tree of `size` (full and partial), level by level. */
export function tilesForSize(size: number): TileRef[] {
  const out: TileRef[] = [];
  for (let level = 0; levelCount(level, size) > 0; level++) {
    const count = levelCount(level, size);
    for (let index = 0; index * TILE_WIDTH < count; index++)
      out.push({ level, index, width: tileWidth(level, index, size) });
  }
  return out;
}

/** Entry bundles of a tree of `size` (the same grid as level-0 tiles). */
export function bundlesForSize(size: number): TileRef[] {
  const out: TileRef[] = [];
  for (let index = 0; index * TILE_WIDTH < size; index++)
    out.push({ level: 'entries', index, width: tileWidth(0, index, size) });
  return out;
}

/** The partial (width < 256) hash tiles of a tree of `size`: they alone determine its frontier. */
export function partialTiles(size: number): TileRef[] {
  const out: TileRef[] = [];
  for (let level = 0; levelCount(level, size) > 0; level++) {
    const count = levelCount(level, size);
    if (count % TILE_WIDTH !== 0) out.push({ level, index: Math.floor(count / TILE_WIDTH), width: count % TILE_WIDTH });
  }
  return out;
}

/**
 * Tiles and entry bundles that are new or different when the tree grows from `oldSize`
 * to `newSize`, with their widths at `newSize`. O((newSize - oldSize) / 256 + levels).
 */
export function changedTiles(oldSize: number, newSize: number): TileRef[] {
  if (newSize < oldSize) throw new LedgerError(msg('ledger.tree-shrink', { from: oldSize, to: newSize }));
  const out: TileRef[] = [];
  for (let level = 0; levelCount(level, newSize) > 0; level++) {
    const before = levelCount(level, oldSize);
    const after = levelCount(level, newSize);
    if (after === before) continue;
    for (let index = Math.floor(before / TILE_WIDTH); index * TILE_WIDTH < after; index++) {
      out.push({ level, index, width: tileWidth(level, index, newSize) });
    }
  }
  if (newSize > oldSize) {
    for (let index = Math.floor(oldSize / TILE_WIDTH); index * TILE_WIDTH < newSize; index++) {
      out.push({ level: 'entries', index, width: tileWidth(0, index, newSize) });
    }
  }
  return out;
}

/** Contents of hash tile `ref`, read from stored level hashes (tree level 8·L). */
export function tileContents(ref: TileRef, read: HashReader): Buffer {
  if (ref.level === 'entries') throw new LedgerError(msg('ledger.bad-tile-level.entries'));
  const out = Buffer.alloc(ref.width * HASH_SIZE);
  for (let j = 0; j < ref.width; j++) out.set(read(ref.level * TILE_HEIGHT, ref.index * TILE_WIDTH + j), j * HASH_SIZE);
  return out;
}

/** Encode entries as an entry bundle: each entry prefixed with its big-endian uint16 length. */
export function encodeBundle(entries: Uint8Array[]): Buffer {
  let total = 0;
  for (const [i, e] of entries.entries()) {
    if (e.length > MAX_ENTRY_SIZE)
      throw new LedgerError(msg('ledger.entry-too-large.bundle', { i, bytes: e.length, max: MAX_ENTRY_SIZE }), [
        { field: `entries[${i}]` },
      ]);
    total += 2 + e.length;
  }
  const out = Buffer.alloc(total);
  let at = 0;
  for (const e of entries) {
    out.writeUInt16BE(e.length, at);
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * Decode an entry bundle, strictly: exactly `expected` entries (when given) and no trailing
 * bytes. The entries are views into `data` (no copy). Errors name the entry position.
 */
export function decodeBundle(data: Uint8Array, expected?: number, where = 'entry bundle'): Buffer[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 2 > buf.length)
      throw new LedgerError(msg('ledger.bundle-truncated.prefix', { where, i: out.length, at }), [
        { field: where, row: out.length },
      ]);
    const len = buf.readUInt16BE(at);
    if (at + 2 + len > buf.length)
      throw new LedgerError(
        msg('ledger.bundle-truncated.entry', { where, i: out.length, bytes: len, left: buf.length - at - 2 }),
        [{ field: where, row: out.length }],
      );
    out.push(buf.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  if (expected !== undefined && out.length !== expected) {
    throw new LedgerError(msg('ledger.bundle-count', { where, count: out.length, expected }), [
      { field: where, expected: String(expected), got: String(out.length) },
    ]);
  }
  return out;
}

function checkTileData(ref: TileRef, data: Uint8Array): void {
  if (ref.level !== 'entries' && data.length !== ref.width * HASH_SIZE) {
    throw new LedgerError(
      msg('ledger.tile-size', { tile: tilePath(ref), bytes: data.length, expected: ref.width * HASH_SIZE }),
      [{ field: tilePath(ref) }],
    );
  }
}

/** Hash of the perfect subtree made of `count` (a power of two) consecutive hashes at `off` in `tile`. */
function foldPerfect(tile: Uint8Array, off: number, count: number): Buffer {
  if (count === 1) return Buffer.from(tile.subarray(off * HASH_SIZE, (off + 1) * HASH_SIZE));
  let level: Uint8Array[] = [];
  for (let j = 0; j < count; j++) level.push(tile.subarray((off + j) * HASH_SIZE, (off + j + 1) * HASH_SIZE));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(nodeHash(level[j], level[j + 1]));
    level = next;
  }
  return level[0] as Buffer;
}

/**
 * Cache of the inner levels of full tiles (immutable once written): each cached tile keeps its
 * 255 inner node hashes, so a node inside it costs O(1) instead of up to 255 hashes. Share one
 * cache between the HashReaders of a server to make proofs O(log n). LRU, `maxTiles` entries
 * (about 8 KiB each).
 */
export class TileTreeCache {
  private map = new Map<string, Buffer[][]>();
  constructor(private readonly maxTiles = 4096) {}

  /** Inner levels of a full tile: levels[r][k] = node of 2^r hashes starting at k·2^r. */
  levels(key: string, tile: Uint8Array): Buffer[][] {
    let lv = this.map.get(key);
    if (lv) {
      this.map.delete(key);
      this.map.set(key, lv);
      return lv;
    }
    const base: Buffer[] = [];
    for (let j = 0; j < TILE_WIDTH; j++) base.push(Buffer.from(tile.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE)));
    lv = [base];
    while (lv[lv.length - 1].length > 1) {
      const prev = lv[lv.length - 1];
      const next: Buffer[] = [];
      for (let j = 0; j < prev.length; j += 2) next.push(nodeHash(prev[j], prev[j + 1]));
      lv.push(next);
    }
    this.map.set(key, lv);
    if (this.map.size > this.maxTiles) this.map.delete(this.map.keys().next().value as string);
    return lv;
  }
}

/** Where the hashes of node (level, index) live: tile ref (at `size`), offset and count in it. */
export function nodeLocation(node: NodeId, size: number): { ref: TileRef; offset: number; count: number } {
  const tileLevel = Math.floor(node.level / TILE_HEIGHT);
  const r = node.level - tileLevel * TILE_HEIGHT;
  const count = 2 ** r;
  const first = node.index * count;
  const index = Math.floor(first / TILE_WIDTH);
  const offset = first - index * TILE_WIDTH;
  const width = tileWidth(tileLevel, index, size);
  if (width < offset + count) {
    throw new LedgerError(msg('ledger.node-not-in-tree', { level: node.level, index: node.index, size }));
  }
  return { ref: { level: tileLevel, index, width }, offset, count };
}

/**
 * A HashReader over the tiles of a tree of `size` (tiles cached per reader). A node at
 * tree level 8·L + r is rebuilt from 2^r hashes of tile level L: at most 255 hashes.
 */
export function tileHashReader(size: number, readTile: TileReader, treeCache?: TileTreeCache): HashReader {
  const cache = new Map<string, Uint8Array>();
  return (level, index) => {
    const loc = nodeLocation({ level, index }, size);
    const key = tilePath(loc.ref);
    let tile = cache.get(key);
    if (!tile) {
      tile = readTile(loc.ref);
      checkTileData(loc.ref, tile);
      cache.set(key, tile);
    }
    if (treeCache && loc.ref.width === TILE_WIDTH && loc.count > 1) {
      const r = Math.log2(loc.count);
      return treeCache.levels(key, tile)[r][loc.offset / loc.count];
    }
    return foldPerfect(tile, loc.offset, loc.count);
  };
}

/** Batch reader over remote tiles: fetches every tile the nodes need in parallel, once. */
export function tileHashReaderAsync(size: number, fetchTile: AsyncTileReader): AsyncHashReader {
  const cache = new Map<string, Promise<Uint8Array>>();
  return async (nodes) => {
    const locs = nodes.map((n) => nodeLocation(n, size));
    const tiles = await Promise.all(
      locs.map((loc) => {
        const key = tilePath(loc.ref);
        let p = cache.get(key);
        if (!p) {
          p = fetchTile(loc.ref).then((t) => {
            checkTileData(loc.ref, t);
            return t;
          });
          cache.set(key, p);
        }
        return p;
      }),
    );
    return locs.map((loc, i) => foldPerfect(tiles[i], loc.offset, loc.count));
  };
}

/** Frontier of a tree of `size` rebuilt from its partial tiles only (see partialTiles). */
export function frontierFromTiles(size: number, readTile: TileReader): Frontier {
  return Frontier.fromReader(size, tileHashReader(size, readTile));
}

export interface IntegrateResult {
  oldSize: number;
  newSize: number;
  /** Root hash at newSize. */
  root: Buffer;
  /** Leaf hashes of the new entries, 32 bytes each, for indices oldSize … newSize-1. */
  leafHashes: Buffer;
  /** Every hash tile and entry bundle written by this batch (full and partial), with contents. */
  tiles: TileData[];
  /** Frontier at newSize: keep it to integrate the next batch without reading tiles. */
  frontier: Frontier;
}

/**
 * Append `entries` to a log of `oldSize`, producing every changed tile and entry bundle.
 *
 * `readTile` is only asked for the partial tiles and the partial entry bundle of the old
 * size (see partialTiles), whose contents are the prefix of the new tiles; pass `frontier`
 * (from the previous IntegrateResult) to skip rebuilding it from those tiles. `leafHashes`: the
 * entries' RFC 6962 leaf hashes, k × 32 bytes, if the caller already has them (the log's appending
 * thread computes them beside the entry bytes, off the writer's critical path).
 * Cost: O(k + log n) hashes for k entries (plus at most 255 per level to rebuild a frontier).
 */
export function integrate(
  oldSize: number,
  entries: Uint8Array[],
  readTile: TileReader,
  frontier?: Frontier,
  leafHashes?: Uint8Array,
): IntegrateResult {
  const newSize = oldSize + entries.length;
  const f = frontier ? frontier.clone() : frontierFromTiles(oldSize, readTile);
  if (f.size !== oldSize) throw new LedgerError(msg('ledger.frontier-size', { got: f.size, want: oldSize }));

  // New hashes at each tile level, written straight into one buffer per level (no per-node arrays).
  const k = entries.length;
  if (leafHashes && leafHashes.length < k * HASH_SIZE)
    throw new LedgerError(msg('ledger.leaf-hashes', { hashes: leafHashes.length / HASH_SIZE, count: k }));
  const levels: { base: number; buf: Buffer }[] = [];
  for (let level = 0; levelCount(level, newSize) > 0; level++) {
    const base = levelCount(level, oldSize);
    const count = levelCount(level, newSize) - base;
    const given = level === 0 && leafHashes; // level 0 holds the leaf hashes: the caller's, if it has them
    levels.push({
      base,
      buf: given ? Buffer.from(given.buffer, given.byteOffset, count * HASH_SIZE) : Buffer.alloc(count * HASH_SIZE),
    });
  }
  // Level 0 is written by leafHashInto (or was given); sink() keeps the nodes at the other tile levels (8, 16, …).
  const sink = (level: number, index: number, hash: Buffer): void => {
    if (level === 0 || level % TILE_HEIGHT !== 0) return;
    const l = levels[level / TILE_HEIGHT];
    hash.copy(l.buf, (index - l.base) * HASH_SIZE);
  };
  const leaves = k > 0 ? levels[0].buf : Buffer.alloc(0);
  for (let i = 0; i < k; i++) {
    const e = entries[i];
    if (e.length > MAX_ENTRY_SIZE)
      throw new LedgerError(msg('ledger.entry-too-large', { i, bytes: e.length, max: MAX_ENTRY_SIZE }), [
        { field: `entries[${i}]` },
      ]);
    if (!leafHashes) leafHashInto(e, 0, e.length, leaves, i * HASH_SIZE);
  }
  // Into the tree: leaf by leaf up to a tile boundary, then each full tile as one level-8 subtree
  // (its root folded in place, 255 hashes), then the tail leaf by leaf.
  const leafAt = (i: number) => leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  let i = 0;
  for (const head = Math.min(k, (TILE_WIDTH - (oldSize % TILE_WIDTH)) % TILE_WIDTH); i < head; i++)
    f.append(leafAt(i), sink);
  for (; i + TILE_WIDTH <= k; i += TILE_WIDTH)
    f.appendNode(TILE_HEIGHT, foldTile(leaves.subarray(i * HASH_SIZE, (i + TILE_WIDTH) * HASH_SIZE)), sink);
  for (; i < k; i++) f.append(leafAt(i), sink);

  const tiles: TileData[] = [];
  for (const ref of changedTiles(oldSize, newSize)) {
    if (ref.level === 'entries') {
      const oldWidth = tileWidth(0, ref.index, oldSize);
      const prefix =
        oldWidth > 0 ? readTile({ level: 'entries', index: ref.index, width: oldWidth }) : new Uint8Array(0);
      if (oldWidth > 0)
        decodeBundle(prefix, oldWidth, tilePath({ level: 'entries', index: ref.index, width: oldWidth }));
      const from = ref.index * TILE_WIDTH + oldWidth - oldSize;
      const to = ref.index * TILE_WIDTH + ref.width - oldSize;
      tiles.push({ ref, path: tilePath(ref), data: Buffer.concat([prefix, encodeBundle(entries.slice(from, to))]) });
      continue;
    }
    const l = levels[ref.level];
    const oldWidth = tileWidth(ref.level, ref.index, oldSize);
    const oldRef = { level: ref.level, index: ref.index, width: oldWidth };
    const prefix = oldWidth > 0 ? readTile(oldRef) : new Uint8Array(0);
    if (oldWidth > 0) checkTileData(oldRef, prefix);
    const from = (ref.index * TILE_WIDTH + oldWidth - l.base) * HASH_SIZE;
    const to = (ref.index * TILE_WIDTH + ref.width - l.base) * HASH_SIZE;
    tiles.push({ ref, path: tilePath(ref), data: Buffer.concat([prefix, l.buf.subarray(from, to)]) });
  }
  return {
    oldSize,
    newSize,
    root: f.root(),
    leafHashes: levels.length ? levels[0].buf : Buffer.alloc(0),
    tiles,
    frontier: f,
  };
}

/** A simple in-memory tile store (tests, tools, exports): path → bytes. */
export class MemoryTiles {
  readonly files = new Map<string, Buffer>();
  read: TileReader = (ref) => {
    const data = this.files.get(tilePath(ref));
    if (!data)
      throw new LedgerError(msg('ledger.tile-missing', { tile: tilePath(ref) }), [{ field: tilePath(ref) }], 404);
    return data;
  };
  write(tiles: TileData[]): void {
    for (const t of tiles) this.files.set(t.path, t.data);
  }
}
