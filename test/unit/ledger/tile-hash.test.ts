import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldTile, hashBundle } from '../../../src/ledger/tile-hash.mjs';
import { leafHash, rootFromLeafHashes } from '../../../src/ledger/merkle';
import { encodeBundle, integrate, MemoryTiles } from '../../../src/ledger/tiles';

// The audit's bundle hasher writes hashes in place through latin1 strings; it must agree byte for
// byte with the Merkle library's own leaf hash and tree hash.
describe('hashBundle', () => {
  const entries = (min: number, max: number) =>
    fc.array(fc.uint8Array({ maxLength: 400 }), { minLength: min, maxLength: max });

  it('gives each entry its RFC 6962 leaf hash, for any widths and entry lengths', () => {
    fc.assert(
      fc.property(entries(1, 256), (es) => {
        const r = hashBundle(encodeBundle(es), es.length);
        expect(r.bad).toBeUndefined();
        expect(r.hashes).toEqual(Buffer.concat(es.map((e) => leafHash(e))));
        expect(r.root).toBeNull(); // only a full tile has a subtree root
      }),
      { numRuns: 60 },
    );
  });

  it('gives a full tile the Merkle tree hash of its 256 leaves', () => {
    fc.assert(
      fc.property(entries(256, 256), (es) => {
        const leaves = es.map((e) => leafHash(e));
        const r = hashBundle(encodeBundle(es), 256);
        expect(r.root).toEqual(rootFromLeafHashes(leaves));
        expect(foldTile(Buffer.concat(leaves))).toEqual(rootFromLeafHashes(leaves));
      }),
      { numRuns: 15 },
    );
  });

  it('names what is wrong with a malformed bundle', () => {
    const good = encodeBundle([Buffer.from('abc'), Buffer.from('de')]); // 00 03 a b c 00 02 d e
    expect(hashBundle(good, 2)).toMatchObject({
      badAt: 0,
      hashes: Buffer.concat([leafHash(Buffer.from('abc')), leafHash(Buffer.from('de'))]),
    });
    expect(hashBundle(good.subarray(0, 6), 2)).toMatchObject({
      bad: 'truncated length prefix of entry 1',
      badAt: 1,
      hashes: null,
    });
    expect(hashBundle(good.subarray(0, 8), 2)).toMatchObject({
      bad: 'entry 1 claims 2 bytes, only 1 remain',
      badAt: 1,
    });
    expect(hashBundle(good.subarray(0, 5), 2)).toMatchObject({ bad: 'has 1 entries, expected 2', badAt: 1 });
    expect(hashBundle(Buffer.concat([good, Buffer.of(0)]), 2)).toMatchObject({
      bad: 'has 1 trailing bytes after 2 entries',
      badAt: 2,
    });
    expect(hashBundle(Buffer.concat([good, Buffer.of(0)]), 3)).toMatchObject({
      bad: 'truncated length prefix of entry 2',
      badAt: 2,
    });
  });
});

describe('integrate with leaf hashes made by the caller', () => {
  it('gives the same tiles and root as hashing the entries itself, and refuses too few hashes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 60 }), { minLength: 1, maxLength: 700 }),
        fc.nat({ max: 300 }),
        (es, cut) => {
          const first = es.slice(0, cut % es.length);
          const rest = es.slice(first.length);
          const mem = new MemoryTiles();
          const a = integrate(0, first, mem.read);
          mem.write(a.tiles);
          const own = integrate(first.length, rest, mem.read, a.frontier);
          const given = integrate(
            first.length,
            rest,
            mem.read,
            a.frontier,
            Buffer.concat([...rest.map((e) => leafHash(e)), Buffer.alloc(64)]),
          );
          expect(given.root).toEqual(own.root);
          expect(given.tiles.map((t) => [t.path, t.data.toString('hex')])).toEqual(
            own.tiles.map((t) => [t.path, t.data.toString('hex')]),
          );
        },
      ),
      { numRuns: 40 },
    );
    expect(() =>
      integrate(0, [Buffer.from('a'), Buffer.from('b')], new MemoryTiles().read, undefined, Buffer.alloc(32)),
    ).toThrow(/1 leaf hashes for 2 entries/);
  });
});

describe('hashBundle leaves its input as it was', () => {
  it('hashes in place but restores every byte', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 256 }), (es) => {
        const bundle = encodeBundle(es);
        const before = Buffer.from(bundle);
        hashBundle(bundle, es.length);
        expect(bundle.equals(before)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
