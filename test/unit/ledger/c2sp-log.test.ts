import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SIG_COSIGNATURE_V1,
  integrate,
  makeReceipt,
  newSigner,
  newVerifier,
  openCheckpoint,
  parseNote,
  signCheckpoint,
  verifyConsistency,
  verifyCosignatures,
  verifyTlogProof,
  witness,
  type Frontier,
} from '../../../src/ledger';
import { parseCheckpoint } from '../../../src/ledger/checkpoint';
import { newCosigner } from '../../../src/ledger/cosignature';
import { decodeVerifierKey, keyPairFromSeed } from '../../../src/ledger/keys';
import { consistencyProof, inclusionProof, leafHash, verifyInclusion } from '../../../src/ledger/merkle';
import { encodeTlogProof } from '../../../src/ledger/proof';
import { MemoryTiles, tileHashReader } from '../../../src/ledger/tiles';

const dir = join(__dirname, '../../fixtures/tlog-vectors/c2sp');
const file = (name: string): string => readFileSync(join(dir, name), 'utf8');
const hashLines = (name: string): Buffer[] =>
  file(name)
    .trimEnd()
    .split('\n')
    .map((l) => Buffer.from(l, 'base64'));

// KEY.txt has stray non key=value lines (see ORIGIN.md); read only key=value lines.
const KEY = Object.fromEntries(
  file('KEY.txt')
    .split('\n')
    .filter((l) => /^[a-zA-Z()]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const ORIGIN = 'example.org/audit-log';

// The RFC 6962 test leaves (transparency-dev/merkle); only entry.0 and entry.5 are in the fixture.
const ENTRIES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));

describe('C2SP example log (example.org/audit-log)', () => {
  const seed = Buffer.from(KEY['seed(hex)'], 'hex');
  const pair = keyPairFromSeed(ORIGIN, seed);

  it('reproduces the key ID and verifier key string', () => {
    expect(pair.keyId.toString(16).padStart(8, '0')).toBe(KEY.keyID);
    expect(pair.verifierKey).toBe(KEY.vkey);
    expect(pair.verifierKey).toBe(file('vkey').trimEnd());
    expect(decodeVerifierKey(pair.verifierKey).key.toString('hex')).toBe(KEY['pub(hex)']);
    expect(pair.signerKey.startsWith(`PRIVATE+KEY+${ORIGIN}+${KEY.keyID}+`)).toBe(true);
  });

  it('has the RFC 6962 entries it was built from', () => {
    expect(readFileSync(join(dir, 'entry.0'))).toEqual(ENTRIES[0]);
    expect(readFileSync(join(dir, 'entry.5'))).toEqual(ENTRIES[5]);
  });

  // Build the log in three batches (0→1→7→8) through tiles, signing a checkpoint per batch.
  const tiles = new MemoryTiles();
  const signer = newSigner(pair.signerKey);
  const checkpoints = new Map<number, string>();
  let frontier: Frontier | undefined;
  let size = 0;
  for (const to of [1, 7, 8]) {
    const r = integrate(size, ENTRIES.slice(size, to), tiles.read, frontier);
    tiles.write(r.tiles);
    frontier = r.frontier;
    size = to;
    checkpoints.set(to, signCheckpoint({ origin: ORIGIN, size: to, root: r.root, extensions: [] }, [signer]));
  }
  const read8 = tileHashReader(8, tiles.read);

  it.each([1, 7, 8])('produces checkpoint.%i byte for byte', (n) => {
    expect(checkpoints.get(n)).toBe(file(`checkpoint.${n}`));
  });

  it('produces the inclusion proofs byte for byte and they verify', () => {
    for (const i of [0, 5]) {
      const proof = inclusionProof(i, 8, read8);
      expect(proof.map((h) => h.toString('base64')).join('\n') + '\n').toBe(file(`inclusion.${i}.8`));
      const cp = parseCheckpoint(parseNote(file('checkpoint.8')).text);
      verifyInclusion(i, 8, leafHash(ENTRIES[i]), hashLines(`inclusion.${i}.8`), cp.root);
    }
  });

  it('produces the consistency proofs byte for byte and they verify', () => {
    const roots = new Map([1, 7, 8].map((n) => [n, parseCheckpoint(parseNote(file(`checkpoint.${n}`)).text).root]));
    for (const m of [1, 7]) {
      const proof = consistencyProof(m, 8, read8);
      expect(proof.map((h) => h.toString('base64')).join('\n') + '\n').toBe(file(`consistency.${m}.8`));
      verifyConsistency(m, 8, hashLines(`consistency.${m}.8`), roots.get(m)!, roots.get(8)!);
    }
  });

  it('checkpoints verify with the verifier key and nothing else', () => {
    const v = newVerifier(file('vkey').trimEnd());
    for (const n of [1, 7, 8]) expect(openCheckpoint(file(`checkpoint.${n}`), [v], ORIGIN).checkpoint.size).toBe(n);
    const other = newVerifier(keyPairFromSeed(ORIGIN, Buffer.alloc(32, 7)).verifierKey);
    expect(() => openCheckpoint(file('checkpoint.8'), [other], ORIGIN)).toThrow(/no signature by a trusted key/);
  });

  it('cosigned checkpoint: log signature verifies, the witness line is kept as unverified', () => {
    const v = newVerifier(KEY.vkey);
    const opened = openCheckpoint(file('checkpoint.8.cosigned'), [v], ORIGIN);
    expect(opened.verified.map((s) => s.name)).toEqual([ORIGIN]);
    expect(opened.unverified.map((s) => s.name)).toEqual(['witness.example/w1']);
    // 4-byte key ID + 64-byte signature: a plain Ed25519 note signature, not a 76-byte
    // cosignature/v1 (no timestamp), and the fixture has no witness public key (see ORIGIN.md).
    expect(opened.unverified[0].sig.length).toBe(64);
    // A verifier for a witness of the same name but another key ignores it: quorum not met.
    const w = newVerifier(keyPairFromSeed('witness.example/w1', Buffer.alloc(32, 1), SIG_COSIGNATURE_V1).verifierKey);
    expect(() => verifyCosignatures(file('checkpoint.8.cosigned'), { witnesses: [w], quorum: 1 })).toThrow(
      /cosignature/,
    );
  });

  it('a witness checks 7→8 and 1→8 with the published proofs and cosigns (tlog-cosignature v1)', () => {
    const logV = newVerifier(KEY.vkey);
    const wPair = keyPairFromSeed('witness.example/w1', Buffer.alloc(32, 42), SIG_COSIGNATURE_V1);
    const cosigner = newCosigner(wPair.signerKey, () => 1_700_000_000_000);
    for (const m of [1, 7]) {
      const last = parseCheckpoint(parseNote(file(`checkpoint.${m}`)).text);
      const res = witness({
        origin: ORIGIN,
        logVerifiers: [logV],
        last: { origin: ORIGIN, size: m, root: last.root, note: file(`checkpoint.${m}`) },
        note: file('checkpoint.8'),
        proof: hashLines(`consistency.${m}.8`),
        oldSize: m,
        cosigner,
      });
      expect(res.ok).toBe(true);
      if (!res.ok) continue;
      const raw = Buffer.from(res.cosignature.split(' ')[2], 'base64');
      expect(raw.length).toBe(4 + 8 + 64);
      expect(raw.readUInt32BE(0)).toBe(wPair.keyId);
      expect(raw.readBigUInt64BE(4)).toBe(1_700_000_000n);
      const cos = verifyCosignatures(res.note, { witnesses: [newVerifier(wPair.verifierKey)], quorum: 1 });
      expect(cos).toEqual([{ name: 'witness.example/w1', keyId: wPair.keyId, timestamp: 1_700_000_000n }]);
      // the log signature is still there and valid
      expect(openCheckpoint(res.note, [logV], ORIGIN).checkpoint.size).toBe(8);
    }
  });

  it('a tlog-proof receipt for entry 5 round-trips and verifies', () => {
    const receipt = makeReceipt(5, ENTRIES[5], inclusionProof(5, 8, read8), file('checkpoint.8'));
    expect(receipt).toBe(
      [
        'c2sp.org/tlog-proof@v1',
        `extra ${ENTRIES[5].toString('base64')}`,
        'index 5',
        ...file('inclusion.5.8').trimEnd().split('\n'),
        '',
        file('checkpoint.8'),
      ].join('\n'),
    );
    const v = verifyTlogProof(receipt, { origin: ORIGIN, logVerifiers: [newVerifier(KEY.vkey)] });
    expect(v.index).toBe(5);
    expect(v.entry).toEqual(ENTRIES[5]);
    // without extra, with the leaf hash given by the caller
    const bare = encodeTlogProof({
      index: 0,
      proof: hashLines('inclusion.0.8'),
      checkpoint: file('checkpoint.8.cosigned'),
    });
    expect(
      verifyTlogProof(
        bare,
        { origin: ORIGIN, logVerifiers: [newVerifier(KEY.vkey)] },
        { leafHash: leafHash(ENTRIES[0]) },
      ).index,
    ).toBe(0);
    expect(() =>
      verifyTlogProof(bare, { origin: ORIGIN, logVerifiers: [newVerifier(KEY.vkey)] }, { entry: ENTRIES[1] }),
    ).toThrow(/inclusion proof/);
  });
});
