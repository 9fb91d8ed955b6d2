import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LedgerError,
  SIG_COSIGNATURE_V1,
  generateKeyPair,
  newSigner,
  newVerifier,
  openCheckpoint,
  parseNote,
  verifierKeyOf,
  verifyCosignatures,
} from '../../../src/ledger';
import { newCosigner } from '../../../src/ledger/cosignature';
import { decodeSignerKey, decodeVerifierKey, isValidKeyName, keyPairFromSeed } from '../../../src/ledger/keys';
import { addSignatureLines, openNote, signNote } from '../../../src/ledger/note';

// golang.org/x/mod/sumdb/note documentation example (published Go test vector).
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE = `${PETER_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
// signed-note spec example key, and a transparency-dev/formats test key whose base64 contains '+'.
const EXAMPLE_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const PLUS_VKEY = 'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6';

// A real checkpoint of the transparency.dev staging CT log arche2025h1, with an RFC 6962
// tree-head signature (type 0x05, unknown to us), its Ed25519 note signature, and four
// tlog-cosignature/v1 witness cosignatures (as published in an interop test suite).
const ARCHE = `arche2025h1.staging.ct.transparency.dev
1432088532
U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

— arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=
— arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=
— transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==
— witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==
— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
— witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==
`;
const ARCHE_VKEY = 'arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f';
const WITNESS_VKEYS = [
  'transparency.dev/DEV:witness-little-garden+d8042a87+BCtusOxINQNUTN5Oj8HObRkh2yHf/MwYaGX4CPdiVEPM',
  'witness1.smartit.nu/witness1+a48c820f+BPSFWg9G6KPiO7QPryYO5Xq4oYJJ+kAvLKLSimDhoxMO',
  'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2',
  'witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv',
];

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof LedgerError ? e.code : `not a LedgerError: ${(e as Error).message}`;
  }
  return 'no error';
};

describe('keys', () => {
  it('reproduces the Go note example: signer key → verifier key and signature', () => {
    expect(verifierKeyOf(PETER_SKEY)).toBe(PETER_VKEY);
    expect(signNote(PETER_TEXT, [newSigner(PETER_SKEY)])).toBe(PETER_NOTE);
    expect(openNote(PETER_NOTE, [newVerifier(PETER_VKEY)]).text).toBe(PETER_TEXT);
  });

  it('accepts published verifier keys, including base64 with "+", and type 0x04', () => {
    for (const k of [PETER_VKEY, ENOCH_VKEY, EXAMPLE_VKEY, PLUS_VKEY, ARCHE_VKEY, ...WITNESS_VKEYS]) {
      const d = decodeVerifierKey(k);
      expect(d.key.length).toBe(32);
    }
    expect(decodeVerifierKey(WITNESS_VKEYS[2]).type).toBe(SIG_COSIGNATURE_V1);
    expect(decodeVerifierKey(EXAMPLE_VKEY).keyId).toBe(0x530d903a);
  });

  it('rejects mangled keys', () => {
    const bad = [
      'example.com/foo',
      'example.com/foo+530d903a',
      EXAMPLE_VKEY.replace('530d903a', '530d903b'), // ID does not match
      EXAMPLE_VKEY.replace('530d903a', '530D903A'),
      EXAMPLE_VKEY.replace('530d903a', '530d903'),
      EXAMPLE_VKEY + '!',
      EXAMPLE_VKEY.replace('Aeky', 'Ae\nky'),
      'a b+00000000+AQ==',
      'a+00000000+',
      PETER_SKEY.replace('PRIVATE', 'PUBLIC'),
      PETER_SKEY.replace('c74f20a3', 'c74f20a4'),
    ];
    for (const k of bad)
      expect(() => (k.startsWith('P') && k.includes('KEY') ? decodeSignerKey(k) : decodeVerifierKey(k)), k).toThrow(
        LedgerError,
      );
  });

  it('key names: no spaces, no +, no control characters, not empty', () => {
    expect(isValidKeyName('example.org/audit-log')).toBe(true);
    expect(isValidKeyName('transparency.dev/DEV:witness-little-garden')).toBe(true);
    for (const n of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u2003b', 'a\u0085b', 'a\nb', '\ud800'])
      expect(isValidKeyName(n), JSON.stringify(n)).toBe(false);
  });

  it('generated keys round-trip and sign', () => {
    const k = generateKeyPair('counterweight.example/log');
    expect(verifierKeyOf(k.signerKey)).toBe(k.verifierKey);
    const note = signNote('hello\n', [newSigner(k.signerKey)]);
    expect(openNote(note, [newVerifier(k.verifierKey)]).verified).toHaveLength(1);
  });
});

describe('signed notes', () => {
  const a = keyPairFromSeed('example.org/log', Buffer.alloc(32, 1));
  const b = keyPairFromSeed('example.org/log', Buffer.alloc(32, 2)); // same name, another key
  const va = newVerifier(a.verifierKey);

  it('ignores a signature by another key with the same name (unknown key) and rejects if none is trusted', () => {
    const byB = signNote('text\n', [newSigner(b.signerKey)]);
    expect(code(() => openNote(byB, [va]))).toBe('note-no-trusted-signature');
    const both = signNote('text\n', [newSigner(b.signerKey), newSigner(a.signerKey)]);
    const opened = openNote(both, [va]);
    expect(opened.verified.map((s) => s.keyId)).toEqual([a.keyId]);
    expect(opened.unverified.map((s) => s.keyId)).toEqual([b.keyId]);
  });

  it('rejects a wrong signature under a trusted (name, key ID): forged key ID', () => {
    const byB = signNote('text\n', [newSigner(b.signerKey)]);
    const sig = Buffer.from(byB.split(' ')[2].trim(), 'base64');
    sig.writeUInt32BE(a.keyId, 0); // claim to be key a
    const forged = `text\n\n— example.org/log ${sig.toString('base64')}\n`;
    expect(code(() => openNote(forged, [va]))).toBe('note-bad-signature');
  });

  it('rejects a changed text', () => {
    const n = signNote('a\nb\n', [newSigner(a.signerKey)]);
    expect(code(() => openNote(n.replace('b\n', 'c\n'), [va]))).toBe('note-bad-signature');
  });

  it('parses strictly and names the line', () => {
    const n = signNote('a\nb\n', [newSigner(a.signerKey)]);
    expect(code(() => parseNote(n.slice(0, -1)))).toBe('note-malformed');
    expect(code(() => parseNote('a\nb\n'))).toBe('note-malformed');
    expect(code(() => parseNote('a\n\n'))).toBe('note-no-signatures');
    expect(code(() => parseNote(n.replace('— ', '- ')))).toBe('note-bad-signature-line');
    expect(code(() => parseNote(n.replace(/=\n$/, '\n')))).toBe('note-bad-base64');
    expect(code(() => parseNote('a\tb\n\n— x AAAAAAA=\n'))).toBe('note-control-char');
    expect(code(() => parseNote('a\n\n— x AAAA\n'))).toBe('note-short-signature');
    expect(code(() => parseNote(Buffer.from([0x61, 0xff, 0x0a, 0x0a])))).toBe('note-not-utf8');
    try {
      parseNote(n.replace('— ', '- '));
    } catch (e) {
      expect((e as LedgerError).where[0].row).toBe(4);
    }
  });

  it('notes whose text holds empty lines split at the last blank line', () => {
    const text = 'a\n\nb\n';
    const n = signNote(text, [newSigner(a.signerKey)]);
    expect(openNote(n, [va]).text).toBe(text);
  });

  it('accepts 16 signatures (spec minimum) and duplicates of one key are dropped', () => {
    const signers = Array.from({ length: 16 }, (_, i) =>
      newSigner(keyPairFromSeed(`w${i}.example`, Buffer.alloc(32, i + 10)).signerKey),
    );
    const n = signNote('x\n', [...signers, newSigner(a.signerKey)]);
    expect(openNote(n, [va]).unverified).toHaveLength(16);
    const dup = addSignatureLines(n, []);
    expect(dup).toBe(n);
  });

  it('property: any single-byte change of the text or signature is rejected', () => {
    const n = signNote('example.org/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', [newSigner(a.signerKey)]);
    const bytes = Buffer.from(n, 'utf8');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const m = Buffer.from(bytes);
        m[i] ^= x;
        expect(() => openNote(m, [va])).toThrow(LedgerError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('real-world interop: arche2025h1 checkpoint with tlog-cosignature/v1 witnesses', () => {
  it('verifies the log signature, ignoring the type 0x05 line and the cosignatures', () => {
    const opened = openCheckpoint(ARCHE, [newVerifier(ARCHE_VKEY)], 'arche2025h1.staging.ct.transparency.dev');
    expect(opened.checkpoint.size).toBe(1432088532);
    expect(opened.verified).toHaveLength(1);
    expect(opened.unverified).toHaveLength(5);
  });

  it('verifies all four cosignatures with their published witness keys and reads the timestamp', () => {
    const cos = verifyCosignatures(ARCHE, { witnesses: WITNESS_VKEYS.map(newVerifier), quorum: 4 });
    expect(cos.map((c) => c.name).sort()).toEqual(WITNESS_VKEYS.map((k) => k.split('+')[0]).sort());
    expect(new Set(cos.map((c) => c.timestamp))).toEqual(new Set([0x6a122120n]));
  });

  it('rejects the same cosignatures on a changed size', () => {
    const changed = ARCHE.replace('1432088532', '1432088533');
    expect(code(() => verifyCosignatures(changed, { witnesses: [newVerifier(WITNESS_VKEYS[2])], quorum: 1 }))).toBe(
      'note-bad-signature',
    );
    expect(code(() => openCheckpoint(changed, [newVerifier(ARCHE_VKEY)]))).toBe('note-bad-signature');
  });

  it('our cosigner produces cosignatures that verify, and our verifier catches a changed timestamp', () => {
    const w = keyPairFromSeed('witness.example/w9', Buffer.alloc(32, 3), SIG_COSIGNATURE_V1);
    const line = signNote('o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', [
      newCosigner(w.signerKey, () => 1_234_567_000),
    ]);
    const [, , b64] = line.trimEnd().split('\n').pop()!.split(' ');
    const raw = Buffer.from(b64, 'base64');
    expect(raw.readBigUInt64BE(4)).toBe(1_234_567n);
    expect(verifyCosignatures(line, { witnesses: [newVerifier(w.verifierKey)] })[0].timestamp).toBe(1_234_567n);
    raw.writeBigUInt64BE(1_234_568n, 4);
    const bumped = line.replace(b64, raw.toString('base64'));
    expect(code(() => verifyCosignatures(bumped, { witnesses: [newVerifier(w.verifierKey)] }))).toBe(
      'note-bad-signature',
    );
    // a type 0x01 key cannot be used as a cosigner
    expect(code(() => newCosigner(keyPairFromSeed('x.example', Buffer.alloc(32, 4)).signerKey))).toBe('bad-key-type');
    // future-dated cosignatures can be refused
    expect(
      code(() =>
        verifyCosignatures(line, { witnesses: [newVerifier(w.verifierKey)], maxFutureSeconds: 60, now: 1_000_000_000 }),
      ),
    ).toBe('cosignature-future');
  });
});
