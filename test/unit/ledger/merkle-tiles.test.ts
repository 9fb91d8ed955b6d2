import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LedgerError,
  consistencyProofAsync,
  inclusionProofAsync,
  integrate,
  parseTilePath,
  partialTiles,
  tileHashReaderAsync,
  tilePath,
  tilesForSize,
  bundlesForSize,
  verifyConsistency,
  type TileRef,
} from '../../../src/ledger';
import {
  EMPTY_ROOT,
  Frontier,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  rootAt,
  verifyInclusion,
  type Hash,
  type HashReader,
} from '../../../src/ledger/merkle';
import {
  MemoryTiles,
  TileTreeCache,
  changedTiles,
  decodeBundle,
  encodeBundle,
  encodeTileIndex,
  tileHashReader,
} from '../../../src/ledger/tiles';

// Reference implementation straight from the RFC 6962 definitions (recursive, O(n) per call).
function mth(leaves: Hash[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return Buffer.from(leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function refPath(m: number, d: Hash[]): Buffer[] {
  if (d.length <= 1) return [];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m < k ? [...refPath(m, d.slice(0, k)), mth(d.slice(k))] : [...refPath(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function refSubproof(m: number, d: Hash[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
const entriesOf = (n: number, from = 0): Buffer[] =>
  Array.from({ length: n }, (_, i) => Buffer.from(`entry ${from + i}`));

function logOf(n: number) {
  const tiles = new MemoryTiles();
  const r = integrate(0, entriesOf(n), tiles.read);
  tiles.write(r.tiles);
  return { tiles, root: r.root, read: tileHashReader(n, tiles.read) };
}

function flipBit(b: Uint8Array, bit: number): Buffer {
  const c = Buffer.from(b);
  c[bit >> 3] ^= 1 << (bit & 7);
  return c;
}

describe('tile paths (C2SP tlog-tiles)', () => {
  it('encodes indices in x-prefixed three-digit groups', () => {
    expect(encodeTileIndex(0)).toBe('000');
    expect(encodeTileIndex(67)).toBe('067');
    expect(encodeTileIndex(1000)).toBe('x001/000');
    expect(encodeTileIndex(1234067)).toBe('x001/x234/067');
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ level: 2, index: 5, width: 17 })).toBe('tile/2/005.p/17');
    expect(tilePath({ level: 'entries', index: 1234067, width: 255 })).toBe('tile/entries/x001/x234/067.p/255');
  });

  it('parses paths strictly', () => {
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({ level: 0, index: 1234067, width: 256 });
    expect(parseTilePath('tile/entries/x001/x234/067.p/12')).toEqual({ level: 'entries', index: 1234067, width: 12 });
    expect(parseTilePath('tile/63/000.p/1')).toEqual({ level: 63, index: 0, width: 1 });
    for (const bad of [
      'tile/64/000',
      'tile/01/000',
      'tile/0/1234',
      'tile/0/67',
      'tile/0/000.p/256',
      'tile/0/000.p/0',
      'tile/0/000.p/012',
      'tile/0/x000/001',
      'tile/0/001/002',
      'tiles/0/000',
      'tile/0/000.p',
      'tile/x/000',
    ]) {
      expect(() => parseTilePath(bad), bad).toThrow(LedgerError);
    }
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant('entries' as const)),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          const ref: TileRef = { level, index, width };
          expect(parseTilePath(tilePath(ref))).toEqual(ref);
        },
      ),
    );
  });

  it('lists the tiles of the spec example (size 70,000) and of size 256', () => {
    const t = tilesForSize(70000);
    const l0 = t.filter((r) => r.level === 0);
    expect(l0.filter((r) => r.width === 256)).toHaveLength(273);
    expect(l0.filter((r) => r.width < 256).map((r) => r.width)).toEqual([112]);
    const l1 = t.filter((r) => r.level === 1);
    expect(l1.map((r) => r.width)).toEqual([256, 17]);
    expect(t.filter((r) => r.level === 2).map((r) => r.width)).toEqual([1]);
    expect(t.filter((r) => r.level === 3)).toHaveLength(0);
    expect(tilesForSize(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(partialTiles(70000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
  });

  it('changedTiles(n, m) is exactly the tiles of size m that differ from those of size n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200000 }), fc.integer({ min: 0, max: 70000 }), (n, k) => {
        const m = n + k;
        const key = (r: TileRef) => `${r.level}/${r.index}/${r.width}`;
        const before = new Set([...tilesForSize(n), ...bundlesForSize(n)].map(key));
        const want = [...tilesForSize(m), ...bundlesForSize(m)]
          .filter((r) => !before.has(key(r)))
          .map(key)
          .sort();
        expect(changedTiles(n, m).map(key).sort()).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('entry bundles: uint16 length prefixes, strict decoding', () => {
    const b = encodeBundle([Buffer.from(''), Buffer.from('ab'), Buffer.alloc(300, 7)]);
    expect(b.subarray(0, 6)).toEqual(Buffer.from([0, 0, 0, 2, 0x61, 0x62]));
    expect(b.readUInt16BE(6)).toBe(300);
    expect(decodeBundle(b, 3).map((e) => e.length)).toEqual([0, 2, 300]);
    expect(() => decodeBundle(b, 4)).toThrow(/expected 4/);
    expect(() => decodeBundle(b.subarray(0, b.length - 1))).toThrow(/claims 300 bytes/);
    expect(() => decodeBundle(Buffer.concat([b, Buffer.of(0)]))).toThrow(/truncated/);
    expect(() => encodeBundle([Buffer.alloc(65536)])).toThrow(/at most 65535/);
  });
});

describe('Merkle tree against the RFC 6962 definitions', () => {
  it('roots, inclusion and consistency proofs equal the recursive definitions (all n ≤ 70, all i, m)', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = leavesOf(n);
      const f = new Frontier();
      leaves.forEach((l) => f.append(l));
      const root = mth(leaves);
      expect(f.root()).toEqual(root);
      // a HashReader over perfect subtrees, computed from the definition
      const read: HashReader = (level, index) => mth(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
      expect(rootAt(n, read)).toEqual(root);
      for (let i = 0; i < n; i++) {
        const p = inclusionProof(i, n, read);
        expect(p).toEqual(refPath(i, leaves));
        verifyInclusion(i, n, leaves[i], p, root);
      }
      for (let m = 1; m <= n; m++) {
        const p = consistencyProof(m, n, read);
        expect(p).toEqual(refSubproof(m, leaves, true));
        verifyConsistency(m, n, p, mth(leaves.slice(0, m)), root);
      }
    }
    expect(new Frontier().root()).toEqual(EMPTY_ROOT);
  });

  it('integrating in random batches gives the same tiles and root as one batch', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 6 }), (batches) => {
        const total = batches.reduce((a, b) => a + b, 0);
        const all = entriesOf(total);
        const once = new MemoryTiles();
        const r1 = integrate(0, all, once.read);
        once.write(r1.tiles);
        const inc = new MemoryTiles();
        let size = 0;
        let f: Frontier | undefined;
        for (const [j, k] of batches.entries()) {
          // alternate between keeping the frontier and rebuilding it from the partial tiles
          const r = integrate(size, all.slice(size, size + k), inc.read, j % 2 === 0 ? f : undefined);
          inc.write(r.tiles);
          f = r.frontier;
          size += k;
          expect(r.root).toEqual(mth(all.slice(0, size).map(leafHash)));
        }
        for (const ref of [...tilesForSize(total), ...bundlesForSize(total)]) {
          expect(inc.read(ref)).toEqual(once.read(ref));
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('proof properties (fast-check)', () => {
  const logs = new Map<number, ReturnType<typeof logOf>>();
  const get = (n: number) => {
    let l = logs.get(n);
    if (!l) logs.set(n, (l = logOf(n)));
    return l;
  };

  it('inclusion proofs from tiles verify; any single bit flip in proof, leaf or root is rejected', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 3000 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.nat(), fc.nat())),
        ([n, i, r1, r2]) => {
          const log = get(n);
          const leaf = leafHash(Buffer.from(`entry ${i}`));
          const p = inclusionProof(i, n, log.read);
          verifyInclusion(i, n, leaf, p, log.root);
          if (p.length > 0) {
            const which = r1 % p.length;
            const bad = p.map((h, j) => (j === which ? flipBit(h, r2 % 256) : h));
            expect(() => verifyInclusion(i, n, leaf, bad, log.root)).toThrow(LedgerError);
          }
          expect(() => verifyInclusion(i, n, leaf, p, flipBit(log.root, r2 % 256))).toThrow(LedgerError);
          expect(() => verifyInclusion(i, n, flipBit(leaf, r1 % 256), p, log.root)).toThrow(LedgerError);
          // wrong index. (A wrong size is not always detectable from the proof alone: for leaf 0
          // the path of sizes 9 and 10 has the same shape. The signed checkpoint binds root to size.)
          if (n > 1) expect(() => verifyInclusion((i + 1) % n, n, leaf, p, log.root)).toThrow(LedgerError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('consistency proofs from tiles verify; any single bit flip in proof or either root is rejected', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 3000 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.nat(), fc.nat())),
        ([n, m, r1, r2]) => {
          const log = get(n);
          const root1 = rootAt(m, log.read);
          expect(root1).toEqual(get(m).root);
          const p = consistencyProof(m, n, log.read);
          verifyConsistency(m, n, p, root1, log.root);
          const which = r1 % p.length;
          expect(() =>
            verifyConsistency(
              m,
              n,
              p.map((h, j) => (j === which ? flipBit(h, r2 % 256) : h)),
              root1,
              log.root,
            ),
          ).toThrow(LedgerError);
          expect(() => verifyConsistency(m, n, p, flipBit(root1, r2 % 256), log.root)).toThrow(LedgerError);
          expect(() => verifyConsistency(m, n, p, root1, flipBit(log.root, r1 % 256))).toThrow(LedgerError);
          expect(() => verifyConsistency(m, n, p.slice(1), root1, log.root)).toThrow(LedgerError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('async tile readers and the tile tree cache give the same proofs', async () => {
    const n = 1234;
    const log = get(n);
    const fetchTile = async (ref: TileRef) => log.tiles.read(ref);
    const reader = tileHashReaderAsync(n, fetchTile);
    for (const i of [0, 1, 255, 256, 1000, 1233])
      expect(await inclusionProofAsync(i, n, reader)).toEqual(inclusionProof(i, n, log.read));
    for (const m of [1, 7, 256, 600, 1233])
      expect(await consistencyProofAsync(m, n, reader)).toEqual(consistencyProof(m, n, log.read));
    const cache = new TileTreeCache(2);
    for (let i = 0; i < n; i += 37)
      expect(inclusionProof(i, n, tileHashReader(n, log.tiles.read, cache))).toEqual(inclusionProof(i, n, log.read));
    for (let m = 1; m < n; m += 41)
      expect(consistencyProof(m, n, tileHashReader(n, log.tiles.read, cache))).toEqual(
        consistencyProof(m, n, log.read),
      );
  });

  it('sizes and indices above 2^32 work (virtual tree with identical leaves)', () => {
    // every leaf is L, so a perfect subtree at level h has hash H[h] = node(H[h-1], H[h-1])
    const H: Buffer[] = [leafHash(Buffer.from('same'))];
    for (let h = 1; h < 53; h++) H.push(nodeHash(H[h - 1], H[h - 1]));
    const read: HashReader = (level) => H[level];
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2 ** 32, max: 2 ** 52 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n }))),
        ([n, i, m]) => {
          const root = rootAt(n, read);
          verifyInclusion(i, n, H[0], inclusionProof(i, n, read), root);
          verifyConsistency(m, n, consistencyProof(m, n, read), rootAt(m, read), root);
        },
      ),
      { numRuns: 200 },
    );
  });
});
