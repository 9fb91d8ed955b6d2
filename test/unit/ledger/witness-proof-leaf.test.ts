import { describe, expect, it } from 'vitest';
import {
  LedgerError,
  SIG_COSIGNATURE_V1,
  buildTombstone,
  decodeTlogProof,
  integrate,
  makeReceipt,
  newSigner,
  newVerifier,
  parseLeaf,
  signCheckpoint,
  verifyTlogProof,
  witness,
  type WitnessState,
} from '../../../src/ledger';
import { parseCheckpoint } from '../../../src/ledger/checkpoint';
import { newCosigner } from '../../../src/ledger/cosignature';
import { keyPairFromSeed } from '../../../src/ledger/keys';
import { buildLeaf, pseudonymousRef, verifyPayload } from '../../../src/ledger/leaf';
import { consistencyProof, inclusionProof, leafHash } from '../../../src/ledger/merkle';
import { encodeTlogProof } from '../../../src/ledger/proof';
import { MemoryTiles, tileHashReader } from '../../../src/ledger/tiles';

const ORIGIN = 'counterweight.example/log';
const logKey = keyPairFromSeed(ORIGIN, Buffer.alloc(32, 21));
const sameName = keyPairFromSeed(ORIGIN, Buffer.alloc(32, 22));
const wKey = keyPairFromSeed('witness.example/w1', Buffer.alloc(32, 23), SIG_COSIGNATURE_V1);
const logV = [newVerifier(logKey.verifierKey)];
const cosigner = newCosigner(wKey.signerKey, () => 1_700_000_000_000);

function grow(sizes: number[], salt = 'e') {
  const tiles = new MemoryTiles();
  const notes = new Map<number, string>();
  let size = 0;
  for (const to of sizes) {
    const r = integrate(
      size,
      Array.from({ length: to - size }, (_, i) => Buffer.from(`${salt}${size + i}`)),
      tiles.read,
    );
    tiles.write(r.tiles);
    size = to;
    notes.set(
      to,
      signCheckpoint({ origin: ORIGIN, size: to, root: r.root, extensions: [] }, [newSigner(logKey.signerKey)]),
    );
  }
  return { tiles, notes, read: (n: number) => tileHashReader(n, tiles.read) };
}
const stateOf = (note: string): WitnessState => {
  const c = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
  return { origin: c.origin, size: c.size, root: c.root, note };
};

describe('witness', () => {
  const log = grow([10, 300, 1000]);
  const base = { origin: ORIGIN, logVerifiers: logV, cosigner };

  it('cosigns on first contact, then consistent growth, then the same checkpoint again', () => {
    const first = witness({ ...base, last: null, note: log.notes.get(10)!, proof: [] });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = witness({
      ...base,
      last: first.state,
      note: log.notes.get(1000)!,
      proof: consistencyProof(10, 1000, log.read(1000)),
      oldSize: 10,
    });
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(second.state.size).toBe(1000);
    const again = witness({ ...base, last: second.state, note: log.notes.get(1000)!, proof: [] });
    expect(again.ok).toBe(true);
  });

  const refusal = (r: ReturnType<typeof witness>) => (r.ok ? 'ok' : r.code);

  it('refuses with a precise reason', () => {
    const s300 = stateOf(log.notes.get(300)!);
    const s1000 = stateOf(log.notes.get(1000)!);
    const p = consistencyProof(300, 1000, log.read(1000));
    // rollback
    expect(refusal(witness({ ...base, last: s1000, note: log.notes.get(300)!, proof: [] }))).toBe('rollback');
    // fork: another log of the same size and key
    const forked = grow([300], 'x');
    expect(refusal(witness({ ...base, last: s300, note: forked.notes.get(300)!, proof: [] }))).toBe('fork');
    // rewritten history signed with the real key: inconsistent
    const rewritten = grow([1000], 'y');
    expect(
      refusal(
        witness({
          ...base,
          last: s300,
          note: rewritten.notes.get(1000)!,
          proof: consistencyProof(300, 1000, rewritten.read(1000)),
        }),
      ),
    ).toBe('inconsistent');
    // a bit flip in the proof
    const bad = p.map((h, i) => (i === 0 ? Buffer.from(h.map((b, j) => (j === 0 ? b ^ 1 : b))) : h));
    expect(refusal(witness({ ...base, last: s300, note: log.notes.get(1000)!, proof: bad }))).toBe('inconsistent');
    // edited size
    expect(
      refusal(witness({ ...base, last: s300, note: log.notes.get(1000)!.replace('\n1000\n', '\n1001\n'), proof: p })),
    ).toBe('bad-log-signature');
    // signature by another key with the same name
    const other = signCheckpoint(parseCheckpoint(log.notes.get(1000)!.split('\n\n')[0] + '\n'), [
      newSigner(sameName.signerKey),
    ]);
    expect(refusal(witness({ ...base, last: s300, note: other, proof: p }))).toBe('bad-log-signature');
    // wrong origin
    expect(
      refusal(witness({ ...base, origin: 'other.example/log', last: null, note: log.notes.get(10)!, proof: [] })),
    ).toBe('unknown-origin');
    // the log thinks the witness saw another size
    const r = witness({ ...base, last: s300, note: log.notes.get(1000)!, proof: p, oldSize: 10 });
    expect(r).toMatchObject({ ok: false, code: 'old-size-mismatch', knownSize: 300 });
    // a proof where none is needed
    expect(refusal(witness({ ...base, last: null, note: log.notes.get(10)!, proof: p }))).toBe('proof-not-empty');
    // garbage
    expect(refusal(witness({ ...base, last: null, note: 'hello', proof: [] }))).toBe('malformed-checkpoint');
  });
});

describe('tlog-proof receipts', () => {
  const log = grow([500]);
  const note = log.notes.get(500)!;
  const policy = { origin: ORIGIN, logVerifiers: logV };
  const receipt = makeReceipt(123, Buffer.from('e123'), inclusionProof(123, 500, log.read(500)), note);
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return e instanceof LedgerError ? e.code : String(e);
    }
    return 'ok';
  };

  it('encodes, decodes and verifies', () => {
    const d = decodeTlogProof(receipt);
    expect(d.index).toBe(123);
    expect(encodeTlogProof(d)).toBe(receipt);
    expect(verifyTlogProof(receipt, policy).entry).toEqual(Buffer.from('e123'));
    expect(verifyTlogProof(receipt, policy, { entry: Buffer.from('e123') }).leafHash).toEqual(
      leafHash(Buffer.from('e123')),
    );
  });

  it('fails with precise reasons', () => {
    expect(code(() => verifyTlogProof(receipt.replace('tlog-proof@v1', 'tlog-proof@v2'), policy))).toBe('proof-header');
    expect(code(() => verifyTlogProof(receipt.replace('index 123', 'index 0123'), policy))).toBe('proof-index');
    expect(code(() => verifyTlogProof(receipt.replace('index 123', 'index 124'), policy))).toBe(
      'inclusion-root-mismatch',
    );
    expect(code(() => verifyTlogProof(receipt.replace('index 123', 'index 600'), policy))).toBe('index-out-of-range');
    expect(code(() => verifyTlogProof(receipt, policy, { entry: Buffer.from('e124') }))).toBe('proof-entry-mismatch');
    expect(
      code(() =>
        verifyTlogProof(
          receipt.replace(
            `extra ${Buffer.from('e123').toString('base64')}`,
            `extra ${Buffer.from('e124').toString('base64')}`,
          ),
          policy,
        ),
      ),
    ).toBe('inclusion-root-mismatch');
    expect(code(() => verifyTlogProof(receipt, { ...policy, origin: 'other.example/log' }))).toBe(
      'checkpoint-origin-mismatch',
    );
    expect(code(() => verifyTlogProof(receipt, { ...policy, logVerifiers: [newVerifier(sameName.verifierKey)] }))).toBe(
      'note-no-trusted-signature',
    );
    expect(
      code(() => verifyTlogProof(receipt, { ...policy, witnesses: [newVerifier(wKey.verifierKey)], quorum: 1 })),
    ).toBe('cosignature-quorum');
    const lines = receipt.split('\n');
    lines[4] = lines[4].slice(0, -4) + 'AAA=';
    expect(code(() => verifyTlogProof(lines.join('\n'), policy))).toBe('inclusion-root-mismatch');
    lines[4] = 'not base64!';
    expect(code(() => decodeTlogProof(lines.join('\n')))).toBe('proof-hash');
    try {
      decodeTlogProof(lines.join('\n'));
    } catch (e) {
      expect((e as LedgerError).where[0].row).toBe(5);
    }
  });

  it('a receipt with a witness cosignature meets a quorum of 1', () => {
    const w = witness({ origin: ORIGIN, logVerifiers: logV, cosigner, last: null, note, proof: [] });
    expect(w.ok).toBe(true);
    if (!w.ok) return;
    const r = makeReceipt(7, Buffer.from('e7'), inclusionProof(7, 500, log.read(500)), w.note);
    const v = verifyTlogProof(r, { ...policy, witnesses: [newVerifier(wKey.verifierKey)], quorum: 1 });
    expect(v.cosignatures).toHaveLength(1);
  });
});

describe('leaves are commitments', () => {
  const pk = Buffer.alloc(32, 9);
  const officer = pseudonymousRef('officer', pk, 'badge-4711');

  it('builds canonical JSON with a salted payload hash, and verifies payload + salt', () => {
    const salt = Buffer.alloc(32, 1);
    const b = buildLeaf(
      {
        type: 'human.decision',
        time: '2024-05-01T12:00:00.000Z',
        actor: officer,
        subjects: ['alert:a1b2c3d4e5'],
        payload: { followed: false, why: 'no corroboration', name: 'Jane Doe' },
      },
      salt,
    );
    expect(b.bytes.toString()).toBe(
      `{"actor":"${officer}","payloadHash":"${b.leaf.payloadHash}","subjects":["alert:a1b2c3d4e5"],"time":"2024-05-01T12:00:00.000Z","type":"human.decision","v":1}`,
    );
    expect(b.bytes.toString()).not.toContain('Jane');
    expect(b.payloadJson).toBe('{"followed":false,"name":"Jane Doe","why":"no corroboration"}');
    verifyPayload(b.bytes, { why: 'no corroboration', followed: false, name: 'Jane Doe' }, salt); // key order does not matter
    expect(() => verifyPayload(b.bytes, { followed: true, why: 'no corroboration', name: 'Jane Doe' }, salt)).toThrow(
      /payload-mismatch|do not match/,
    );
    expect(() => verifyPayload(b.bytes, Buffer.from(b.payloadJson), Buffer.alloc(32, 2))).toThrow(/do not match/);
    expect(parseLeaf(b.bytes)).toEqual(b.leaf);
    expect(pseudonymousRef('officer', pk, 'badge-4711')).toBe(officer);
    expect(officer).toMatch(/^officer:[A-Za-z0-9_-]{22}$/);
  });

  it('erasure: a tombstone is appended, the erased leaf bytes never change, old receipts still verify', () => {
    const built = Array.from({ length: 20 }, (_, i) =>
      buildLeaf({
        type: 'ai.output',
        time: new Date(Date.UTC(2024, 0, 1, 0, i)),
        actor: 'system:forecaster',
        subjects: [officer],
        payload: { i },
      }),
    );
    const tiles = new MemoryTiles();
    const r1 = integrate(
      0,
      built.map((b) => b.bytes),
      tiles.read,
    );
    tiles.write(r1.tiles);
    const key = newSigner(logKey.signerKey);
    const note20 = signCheckpoint({ origin: ORIGIN, size: 20, root: r1.root, extensions: [] }, [key]);
    const receipt = makeReceipt(5, built[5].bytes, inclusionProof(5, 20, tileHashReader(20, tiles.read)), note20);
    // erase payload 5 (payload and salt deleted elsewhere), append a tombstone
    const t = buildTombstone({
      time: '2024-06-01T00:00:00.000Z',
      actor: 'user:privacyofficer01',
      erases: 5,
      reason: 'data-subject-request',
    });
    const r2 = integrate(20, [t.bytes], tiles.read, r1.frontier);
    tiles.write(r2.tiles);
    const note21 = signCheckpoint({ origin: ORIGIN, size: 21, root: r2.root, extensions: [] }, [key]);
    expect(verifyTlogProof(receipt, { origin: ORIGIN, logVerifiers: logV }).index).toBe(5);
    const fresh = makeReceipt(5, built[5].bytes, inclusionProof(5, 21, tileHashReader(21, tiles.read)), note21);
    expect(verifyTlogProof(fresh, { origin: ORIGIN, logVerifiers: logV }).index).toBe(5);
    expect(parseLeaf(t.bytes)).toMatchObject({ type: 'tombstone', erases: 5 });
  });

  it('refuses anything that could carry personal data or free text', () => {
    const ok = {
      type: 'ai.output',
      time: '2024-05-01T12:00:00.000Z',
      actor: 'system:forecaster',
      subjects: [officer],
      payload: {},
    };
    const bad: [string, object][] = [
      ['actor with a name', { actor: 'person:John Smith' }],
      ['phone-like id', { subjects: ['person:01012345678'] }],
      ['e-mail', { subjects: ['person:john@example.org'] }],
      ['no kind', { actor: 'abcdefghij' }],
      ['free-text type', { type: 'Stopped a suspicious man' }],
      ['local time', { time: '2024-05-01T12:00:00+09:00' }],
      ['time without ms', { time: '2024-05-01T12:00:00Z' }],
      ['duplicate subjects', { subjects: [officer, officer] }],
    ];
    for (const [why, patch] of bad) expect(() => buildLeaf({ ...ok, ...patch } as typeof ok), why).toThrow(LedgerError);
    // unknown fields and non-canonical bytes are refused when parsing
    const b = buildLeaf(ok);
    const withNote = JSON.stringify({ ...b.leaf, note: 'free text' });
    expect(() => parseLeaf(Buffer.from(withNote))).toThrow(/unexpected field "note"/);
    expect(() => parseLeaf(Buffer.from(JSON.stringify(b.leaf, null, 1)))).toThrow(/canonical/);
    expect(() => buildTombstone({ time: ok.time, actor: ok.actor, erases: 1, reason: 'because' as never })).toThrow(
      /erasure reason/,
    );
  });
});
