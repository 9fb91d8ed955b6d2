/**
 * The log's own errors in the reader's language (issue 17 item 5): a LedgerError keeps its stable
 * machine code (adapters and tests key on it) and carries its text as a message, `ledger.<code>[.<variant>]`,
 * so the server, the CLI and the web app show it in English or Korean.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  LedgerError,
  makeReceipt,
  newSigner,
  newVerifier,
  openCheckpoint,
  SIG_COSIGNATURE_V1,
  verifyTlogProof,
  witness,
} from '../../../src/ledger';
import { lineError } from '../../../src/ledger/errors';
import { MESSAGES, msg, render, type MessageCode } from '../../../src/domain/messages';

const dir = join(__dirname, '../../fixtures/tlog-vectors/c2sp');
const file = (name: string): string => readFileSync(join(dir, name), 'utf8');
const ORIGIN = 'example.org/audit-log';
const VKEY = file('vkey').trimEnd();
const ENTRY5 = Buffer.from('40414243', 'hex');
const proof58 = () =>
  file('inclusion.5.8')
    .trimEnd()
    .split('\n')
    .map((l) => Buffer.from(l, 'base64'));
const HANGUL = /[\uac00-\ud7a3]/;

function thrown(f: () => unknown): LedgerError {
  try {
    f();
  } catch (e) {
    if (e instanceof LedgerError) return e;
    throw e;
  }
  throw new Error('nothing was thrown');
}

describe('LedgerError speaks the reader’s language', () => {
  const policy = { origin: ORIGIN, logVerifiers: [newVerifier(VKEY)] };
  const receipt = makeReceipt(5, ENTRY5, proof58(), file('checkpoint.8'));

  it('the untouched receipt verifies (so the failures below come from the edits)', () => {
    expect(verifyTlogProof(receipt, policy).index).toBe(5);
  });

  it('an edited proof: stable code, English as before, Korean with the same numbers and no English sentence', () => {
    const e = thrown(() => verifyTlogProof(receipt.replace(/^index 5$/m, 'index 6'), policy));
    expect(e.code).toBe('inclusion-root-mismatch');
    expect(e.messageCode).toBe('ledger.inclusion-root-mismatch');
    expect(e.messageParams).toEqual({ index: 6, size: 8 });
    expect(e.message).toBe('inclusion proof for index 6 does not lead to the root of size 8');
    expect(e.text('en')).toBe(e.message);
    const ko = e.text('ko');
    expect(ko).toMatch(HANGUL);
    expect(ko).toContain('6');
    expect(ko).toContain('8');
    expect(ko).not.toMatch(/does not lead|inclusion proof/);
    expect(e.where).toEqual([{ field: 'root' }]);
  });

  it('a bad checkpoint note: the line is named in both languages and kept in `where`', () => {
    const note = file('checkpoint.8').replace(/^8$/m, '9');
    const e = thrown(() => openCheckpoint(note, policy.logVerifiers, ORIGIN));
    expect(e.code).toBe('note-bad-signature');
    expect(e.message).toMatch(/^signature by example\.org\/audit-log \(key [0-9a-f]{8}\) does not verify \(line 5\)$/);
    expect(e.text('ko')).toMatch(/\(5행\)$/);
    expect(e.text('ko')).toMatch(HANGUL);
    expect(e.text('ko')).not.toMatch(/does not verify|line 5/);
    expect(e.where[0]).toMatchObject({ row: 5, field: 'line 5' });
  });

  it('a malformed receipt header names its line and what was expected', () => {
    const e = thrown(() => verifyTlogProof(receipt.replace('c2sp.org/tlog-proof@v1', 'tlog-proof'), policy));
    expect(e.code).toBe('proof-header');
    expect(e.text('en')).toBe('not a c2sp.org/tlog-proof@v1 proof (line 1)');
    expect(e.text('ko')).toBe('c2sp.org/tlog-proof@v1 증명이 아닙니다 (1행)');
    expect(e.where[0]).toMatchObject({ row: 1, expected: 'c2sp.org/tlog-proof@v1', got: 'tlog-proof' });
  });

  it('the code is the second part of the message code, for every ledger message (the two cannot disagree)', () => {
    const keys = Object.keys(MESSAGES).filter((k) => k.startsWith('ledger.')) as `ledger.${string}`[];
    expect(keys.length).toBeGreaterThan(100);
    for (const k of keys) {
      const e = new LedgerError(msg(k as MessageCode & `ledger.${string}`));
      expect(e.code, k).toBe(k.split('.')[1]);
      expect(e.code, k).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('every message a parser uses through lineError names the line in both languages', () => {
    const src = ['proof', 'checkpoint', 'note', 'cosignature'].map((f) =>
      readFileSync(join(__dirname, `../../../src/ledger/${f}.ts`), 'utf8'),
    );
    const used = src.flatMap((s) => [...s.matchAll(/lineError\(\s*msg\('([^']+)'/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(15);
    for (const k of used) {
      const m = MESSAGES[k as MessageCode];
      expect(m.en, k).toMatch(/ \(line \{\{line\}\}\)$/);
      expect(m.ko, k).toMatch(/ \(\{\{line\}\}행\)$/);
    }
    // and lineError fills it in
    expect(lineError(msg('ledger.note-control-char'), 7).text('ko')).toBe('노트에 제어 문자가 있습니다 (7행)');
  });

  it('a witness refuses in the reader’s language, the ledger’s own reason inside', () => {
    const cosigner = newSigner(generateKeyPair('witness.example/w1', SIG_COSIGNATURE_V1).signerKey);
    const base = { logVerifiers: policy.logVerifiers, last: null, proof: [], cosigner };
    const other = witness({ ...base, origin: 'other.example/log', note: file('checkpoint.8') });
    expect(other).toMatchObject({ ok: false, code: 'unknown-origin' });
    if (other.ok) return;
    expect(other.message).toBe('checkpoint origin "example.org/audit-log" is not the followed log "other.example/log"');
    expect(render(other.text, 'ko')).toBe(
      '체크포인트의 출처 "example.org/audit-log"은(는) 따라가는 로그 "other.example/log"이(가) 아닙니다',
    );
    const edited = witness({ ...base, origin: ORIGIN, note: file('checkpoint.8').replace(/^8$/m, '9') });
    expect(edited).toMatchObject({ ok: false, code: 'bad-log-signature' });
    if (edited.ok) return;
    expect(edited.message).toMatch(/does not verify \(line 5\)$/);
    expect(render(edited.text, 'ko')).toMatch(/의 서명이 검증되지 않습니다 \(5행\)$/);
  });
});
