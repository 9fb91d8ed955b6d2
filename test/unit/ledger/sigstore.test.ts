/**
 * Round trip through an independent implementation: sigstore-js (@sigstore/verify) verifies
 * Rekor v2 style entries whose inclusion proof carries a C2SP checkpoint. Its public entry point
 * (Verifier) needs a full Sigstore bundle (certificate or key, DSSE or message signature, Rekor
 * body kinds), so we call its transparency-log verifier directly: verifyTLogInclusion(entry,
 * tlogAuthorities) checks the checkpoint's signed note against the log key (key hint = first 4
 * bytes of the log ID, name matched against the log's base URL) and then the RFC 6962 inclusion
 * proof of the entry's body under the checkpoint root. It has no consistency-proof verifier.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogCheckpoint } from '@sigstore/verify/dist/tlog/checkpoint.js';
import { verifyTLogInclusion } from '@sigstore/verify/dist/tlog/index.js';
import fc from 'fast-check';
import { integrate, newSigner, signCheckpoint } from '../../../src/ledger';
import { decodeVerifierKey, keyPairFromSeed } from '../../../src/ledger/keys';
import { inclusionProof } from '../../../src/ledger/merkle';
import { MemoryTiles, tileHashReader } from '../../../src/ledger/tiles';

const ORIGIN = 'example.org/audit-log';
const pair = keyPairFromSeed(
  ORIGIN,
  Buffer.from('59004c73ecceccba6ec0b27b2b2407040f50c6b2aa173d341346193d9fcbbb70', 'hex'),
);
const pub = decodeVerifierKey(pair.verifierKey).key;
const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]);
const logKeyId = Buffer.alloc(4);
logKeyId.writeUInt32BE(pair.keyId);

const authority = {
  // sigstore matches the first 4 bytes of the log ID against the note's key hint
  logID: Buffer.concat([logKeyId, Buffer.alloc(28)]),
  baseURL: `https://${ORIGIN}`,
  publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }),
  validFor: { start: new Date(0), end: new Date('9999-12-31T00:00:00Z') },
};

function buildLog(n: number) {
  const tiles = new MemoryTiles();
  const entries = Array.from({ length: n }, (_, i) => Buffer.from(`{"entry":${i}}`));
  const r = integrate(0, entries, tiles.read);
  tiles.write(r.tiles);
  const note = signCheckpoint({ origin: ORIGIN, size: n, root: r.root, extensions: [] }, [newSigner(pair.signerKey)]);
  return { tiles, entries, note, root: r.root, read: tileHashReader(n, tiles.read) };
}

function sigstoreEntry(index: number, size: number, body: Buffer, hashes: Buffer[], envelope: string, root: Buffer) {
  return {
    logIndex: String(index),
    logId: { keyId: authority.logID },
    kindVersion: { kind: 'hashedrekord', version: '0.0.2' },
    integratedTime: '0',
    inclusionPromise: undefined,
    inclusionProof: {
      logIndex: String(index),
      rootHash: root,
      treeSize: String(size),
      hashes,
      checkpoint: { envelope },
    },
    canonicalizedBody: body,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const verify = (e: unknown) => verifyTLogInclusion(e as any, [authority]);

describe('@sigstore/verify accepts our checkpoints and inclusion proofs', () => {
  it('parses our checkpoint text identically', () => {
    const log = buildLog(13);
    const text = log.note.slice(0, log.note.indexOf('\n\n') + 1);
    const cp = LogCheckpoint.fromString(text);
    expect(cp.origin).toBe(ORIGIN);
    expect(cp.logSize).toBe(13n);
    expect(Buffer.from(cp.logHash)).toEqual(log.root);
  });

  it('verifies the C2SP fixture: entry.5 with inclusion.5.8 under checkpoint.8 (and the cosigned one)', () => {
    const dir = join(__dirname, '../../fixtures/tlog-vectors/c2sp');
    const hashes = readFileSync(join(dir, 'inclusion.5.8'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => Buffer.from(l, 'base64'));
    for (const cp of ['checkpoint.8', 'checkpoint.8.cosigned']) {
      const note = readFileSync(join(dir, cp), 'utf8');
      const root = Buffer.from(note.split('\n')[2], 'base64');
      expect(() => verify(sigstoreEntry(5, 8, readFileSync(join(dir, 'entry.5')), hashes, note, root))).not.toThrow();
    }
  });

  it('verifies every entry of logs of several sizes', () => {
    for (const n of [1, 2, 3, 7, 8, 100, 257, 1000]) {
      const log = buildLog(n);
      for (const i of new Set([0, Math.floor(n / 2), n - 1])) {
        const e = sigstoreEntry(i, n, log.entries[i], inclusionProof(i, n, log.read), log.note, log.root);
        expect(() => verify(e)).not.toThrow();
      }
    }
  });

  it('rejects what we reject: wrong entry, wrong index, tampered checkpoint, foreign key', () => {
    const log = buildLog(100);
    const proof = inclusionProof(42, 100, log.read);
    expect(() => verify(sigstoreEntry(42, 100, log.entries[43], proof, log.note, log.root))).toThrow(
      /root hash does not match/,
    );
    expect(() => verify(sigstoreEntry(41, 100, log.entries[42], proof, log.note, log.root))).toThrow();
    const tampered = log.note.replace('\n100\n', '\n101\n');
    expect(() => verify(sigstoreEntry(42, 100, log.entries[42], proof, tampered, log.root))).toThrow(/signature/);
    const other = keyPairFromSeed(ORIGIN, Buffer.alloc(32, 9));
    const foreign = signCheckpoint({ origin: ORIGIN, size: 100, root: log.root, extensions: [] }, [
      newSigner(other.signerKey),
    ]);
    expect(() => verify(sigstoreEntry(42, 100, log.entries[42], proof, foreign, log.root))).toThrow(/signature/);
  });

  it('property: any index of any size up to 600 verifies in sigstore', () => {
    const cache = new Map<number, ReturnType<typeof buildLog>>();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        ([n, i]) => {
          let log = cache.get(n);
          if (!log) cache.set(n, (log = buildLog(n)));
          verify(sigstoreEntry(i, n, log.entries[i], inclusionProof(i, n, log.read), log.note, log.root));
        },
      ),
      { numRuns: 60 },
    );
  });
});
