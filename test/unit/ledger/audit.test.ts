import { describe, expect, it } from 'vitest';
import {
  auditLog,
  integrate,
  newSigner,
  newVerifier,
  parseLeaf,
  signCheckpoint,
  type TileRef,
} from '../../../src/ledger';
import { render } from '../../../src/domain/messages';
import { keyPairFromSeed } from '../../../src/ledger/keys';
import { buildLeaf, pseudonymousRef } from '../../../src/ledger/leaf';
import { consistencyProof } from '../../../src/ledger/merkle';
import { MemoryTiles, tileHashReader } from '../../../src/ledger/tiles';

const ORIGIN = 'counterweight.example/log';
const key = keyPairFromSeed(ORIGIN, Buffer.alloc(32, 11));
const other = keyPairFromSeed(ORIGIN, Buffer.alloc(32, 12)); // same name, another key
const signer = newSigner(key.signerKey);
const verifiers = [newVerifier(key.verifierKey)];
const pk = Buffer.alloc(32, 5);

function entries(n: number, tweak?: number): Buffer[] {
  return Array.from(
    { length: n },
    (_, i) =>
      buildLeaf(
        {
          type: 'ai.output',
          time: new Date(Date.UTC(2024, 0, 1, 0, 0, i)),
          actor: 'system:patrol-forecaster',
          subjects: [pseudonymousRef('alert', pk, `a${i}`)],
          payload: { i, changed: i === tweak },
        },
        Buffer.alloc(32, i % 256),
      ).bytes,
  );
}

/** A log built in batches, with a signed checkpoint kept at every batch. */
function buildLog(batches: number[], tweak?: number, signWith = [signer]) {
  const all = entries(
    batches.reduce((a, b) => a + b, 0),
    tweak,
  );
  const tiles = new MemoryTiles();
  const notes = new Map<number, string>();
  let size = 0;
  for (const k of batches) {
    const r = integrate(size, all.slice(size, size + k), tiles.read);
    tiles.write(r.tiles);
    size += k;
    notes.set(size, signCheckpoint({ origin: ORIGIN, size, root: r.root, extensions: [] }, signWith));
  }
  return { tiles, notes, size, all };
}

const copyTiles = (t: MemoryTiles): MemoryTiles => {
  const c = new MemoryTiles();
  for (const [k, v] of t.files) c.files.set(k, Buffer.from(v));
  return c;
};

describe('auditLog', () => {
  const log = buildLog([600, 400, 1]); // 1001 entries: 3 full tiles, partial tile of width 233
  const head = log.notes.get(1001)!;

  it('passes a good log and reproduces kept checkpoints', async () => {
    const r = await auditLog(head, log.tiles.read, {
      logVerifiers: verifiers,
      origin: ORIGIN,
      previous: [log.notes.get(600)!, log.notes.get(1000)!],
      checkEntry: (e) => (parseLeaf(e) ? undefined : 'bad'),
    });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.entriesChecked).toBe(1001);
    expect(r.previous).toEqual([
      { size: 600, ok: true },
      { size: 1000, ok: true },
    ]);
    expect(r.computedRoot).toBe(r.root);
  });

  it('a changed entry byte: names the entry, its bundle and tile, and the root mismatch', async () => {
    const t = copyTiles(log.tiles);
    const bundle = t.files.get('tile/entries/001')!;
    bundle[2 + 10] ^= 0x01; // first entry of bundle 1 (index 256), one byte inside
    const r = await auditLog(head, t.read, { logVerifiers: verifiers });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code).sort()).toEqual(['leaf-mismatch', 'root-mismatch']);
    const leaf = r.problems.find((p) => p.code === 'leaf-mismatch')!;
    expect(leaf.index).toBe(256);
    expect(leaf.path).toBe('tile/0/001');
    // Each finding is a message too: English as before, Korean without an English sentence.
    expect(leaf.message).toBe('entry 256 does not hash to position 0 of tile/0/001');
    expect(render(leaf.text, 'en')).toBe(leaf.message);
    expect(render(leaf.text, 'ko')).toBe('항목 256의 해시가 tile/0/001의 위치 0과(와) 맞지 않습니다');
    const root = r.problems.find((p) => p.code === 'root-mismatch')!;
    expect(render(root.text, 'ko')).toMatch(/^항목 1001개에서 다시 계산한 루트\(.+\)가 서명된 루트\(.+\)와 다릅니다$/);
  });

  it('a changed tile hash (level 0): the tile is named as corrupt, the entries still match the signed root', async () => {
    const t = copyTiles(log.tiles);
    t.files.get('tile/0/002')![32 * 7] ^= 0x80;
    const r = await auditLog(head, t.read, { logVerifiers: verifiers });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'tile-hash', path: 'tile/0/002', index: 512 + 7 });
  });

  it('a changed tile hash (level 1)', async () => {
    const t = copyTiles(log.tiles);
    t.files.get('tile/1/000.p/3')![32 + 3] ^= 0x01;
    const r = await auditLog(head, t.read, { logVerifiers: verifiers });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'tile-hash', path: 'tile/1/000.p/3', index: 256 });
  });

  it('an edited tree size breaks the signature', async () => {
    const edited = head.replace('\n1001\n', '\n1000\n');
    const r = await auditLog(edited, log.tiles.read, { logVerifiers: verifiers });
    expect(r.problems[0].code).toBe('signature');
    expect(r.problems[0].message).toMatch(/does not verify/);
    // The ledger's own reason, in Korean inside the Korean finding.
    const ko = render(r.problems[0].text, 'ko');
    expect(ko).toMatch(/^체크포인트를 거부했습니다: .+의 서명이 검증되지 않습니다 \(\d+행\)$/);
    expect(ko).not.toMatch(/does not verify|rejected/);
  });

  it('a checkpoint signed by another key with the same name is rejected', async () => {
    const forged = buildLog([1001], undefined, [newSigner(other.signerKey)]);
    const r = await auditLog(forged.notes.get(1001)!, forged.tiles.read, { logVerifiers: verifiers });
    expect(r.problems[0].code).toBe('signature');
    expect(r.problems[0].message).toMatch(/no signature by a trusted key/);
  });

  it('a rewritten history signed with the real key passes alone but is caught against a kept older checkpoint', async () => {
    const rewritten = buildLog([1001], 100); // entry 100 differs, re-signed with the real key
    const note = rewritten.notes.get(1001)!;
    const alone = await auditLog(note, rewritten.tiles.read, { logVerifiers: verifiers });
    expect(alone.ok).toBe(true); // a validly signed log: only history can tell
    const r = await auditLog(note, rewritten.tiles.read, { logVerifiers: verifiers, previous: [log.notes.get(600)!] });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'history-rewritten', index: 599 })]);
    expect(r.previous).toEqual([{ size: 600, ok: false }]);
    // and the log cannot produce a consistency proof from the kept root
    const read = tileHashReader(1001, rewritten.tiles.read);
    expect(consistencyProof(600, 1001, read)).toBeDefined();
  });

  it('a rollback below a kept checkpoint is reported', async () => {
    const r = await auditLog(log.notes.get(600)!, log.tiles.read, { logVerifiers: verifiers, previous: [head] });
    expect(r.problems.map((p) => p.code)).toContain('rollback');
  });

  it('a missing tile, a truncated bundle and a wrong-size tile are named', async () => {
    const t = copyTiles(log.tiles);
    t.files.delete('tile/0/001');
    t.files.set('tile/entries/002', t.files.get('tile/entries/002')!.subarray(0, 1000));
    t.files.set('tile/0/003.p/233', Buffer.concat([t.files.get('tile/0/003.p/233')!, Buffer.alloc(1)]));
    const r = await auditLog(head, t.read, { logVerifiers: verifiers });
    const byCode = (c: string) => r.problems.filter((p) => p.code === c);
    expect(byCode('tile-missing')[0].path).toBe('tile/0/001');
    expect(byCode('bundle-format')[0].path).toBe('tile/entries/002');
    expect(byCode('tile-size')[0].path).toBe('tile/0/003.p/233');
  });

  it('works with an async tile reader and reports progress', async () => {
    const seen: number[] = [];
    const read = async (ref: TileRef) => log.tiles.read(ref);
    const r = await auditLog(head, read, { logVerifiers: verifiers, onProgress: (d) => seen.push(d) });
    expect(r.ok).toBe(true);
    expect(seen.at(-1)).toBe(1001);
  });

  it('hashing worker threads give exactly the same reports as this thread', async () => {
    const cases: ((t: MemoryTiles) => void)[] = [
      () => undefined,
      (t) => (t.files.get('tile/entries/001')![12] ^= 1),
      (t) => (t.files.get('tile/0/002')![32 * 7] ^= 0x80),
      (t) => t.files.set('tile/entries/002', t.files.get('tile/entries/002')!.subarray(0, 1000)),
      (t) =>
        t.files.set('tile/entries/003.p/233', Buffer.concat([t.files.get('tile/entries/003.p/233')!, Buffer.of(0, 0)])),
    ];
    for (const tamper of cases) {
      const t = copyTiles(log.tiles);
      tamper(t);
      const local = await auditLog(head, t.read, {
        logVerifiers: verifiers,
        previous: [log.notes.get(600)!],
        workers: 1,
      });
      const threaded = await auditLog(head, t.read, {
        logVerifiers: verifiers,
        previous: [log.notes.get(600)!],
        workers: 2,
      });
      expect(threaded).toEqual(local);
    }
  });

  it('key rotation: a checkpoint signed by old and new keys verifies with either', async () => {
    const next = keyPairFromSeed(ORIGIN, Buffer.alloc(32, 13));
    const rotated = buildLog([300], undefined, [signer, newSigner(next.signerKey)]);
    const note = rotated.notes.get(300)!;
    expect(note.split('\n').filter((l) => l.startsWith('— '))).toHaveLength(2);
    for (const v of [[newVerifier(key.verifierKey)], [newVerifier(next.verifierKey)]]) {
      expect((await auditLog(note, rotated.tiles.read, { logVerifiers: v })).ok).toBe(true);
    }
  });
});
