/**
 * C2SP signed-note: a UTF-8 text ending in a newline, a blank line, then one or more lines
 * `— <key name> base64(uint32 key ID || signature)`.
 *
 * Verification rules (signed-note "Signatures"): a signature whose (name, key ID) pair is not a
 * trusted key is ignored, even if it shares the name or the ID with one; a signature by a trusted
 * key must verify or the whole note is rejected; at least one trusted signature must verify.
 */
import { LedgerError, lineError } from './errors';
import { msg } from '../domain/messages';
import { checkKeyName, keyIdHex, type NoteSigner, type NoteVerifier } from './keys';

const EM_DASH = '\u2014';
/** Verifiers must accept at least 16 signatures; we cap at 100 (as Go's note package). */
export const MAX_SIGNATURES = 100;

export interface NoteSignature {
  name: string;
  keyId: number;
  /** Signature bytes after the 4-byte key ID. */
  sig: Buffer;
  /** The full signature line without its newline. */
  line: string;
  /** 1-based line number in the note. */
  lineNo: number;
}

export interface ParsedNote {
  /** Note text, including its final newline (this is what is signed). */
  text: string;
  signatures: NoteSignature[];
}

export interface OpenedNote extends ParsedNote {
  /** Signatures by trusted keys that verified. */
  verified: NoteSignature[];
  /** Signatures by keys we do not know (ignored, kept for forwarding). */
  unverified: NoteSignature[];
}

function toText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new LedgerError(msg('ledger.note-not-utf8'), [{ field: 'note', expected: 'UTF-8 text' }]);
  }
}

/** The text must be non-empty, end with a newline and contain no control characters but newline. */
export function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) {
    throw new LedgerError(msg('ledger.note-text'), [{ field: 'text', expected: 'text ending in \\n' }]);
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/[\u0000-\u0009\u000b-\u001f]/.test(lines[i])) throw lineError(msg('ledger.note-control-char'), i + 1);
  }
  if (Buffer.from(text, 'utf8').toString('utf8') !== text) throw new LedgerError(msg('ledger.note-not-utf8.unicode'));
}

/** Split a signed note into its text and signature lines (syntax only, nothing is verified). */
export function parseNote(input: string | Uint8Array): ParsedNote {
  const s = toText(input);
  if (!s.endsWith('\n')) throw new LedgerError(msg('ledger.note-malformed.newline'), [{ field: 'note' }]);
  for (const [i, line] of s.split('\n').entries()) {
    if (/[\u0000-\u0009\u000b-\u001f]/.test(line)) throw lineError(msg('ledger.note-control-char'), i + 1);
  }
  const split = s.lastIndexOf('\n\n');
  if (split < 0)
    throw new LedgerError(msg('ledger.note-malformed.noBlank'), [
      { field: 'note', expected: 'text, blank line, signature lines' },
    ]);
  const text = s.slice(0, split + 1);
  const sigBlock = s.slice(split + 2);
  const firstSigLine = text.split('\n').length + 1; // text lines, blank line, then signatures
  const lines = sigBlock.slice(0, -1).split('\n');
  if (sigBlock.length === 0 || lines.length === 0)
    throw new LedgerError(msg('ledger.note-no-signatures'), [{ field: 'note' }]);
  if (lines.length > MAX_SIGNATURES)
    throw new LedgerError(msg('ledger.note-too-many-signatures', { count: lines.length, max: MAX_SIGNATURES }));
  const signatures = lines.map((line, i) => parseSignatureLine(line, firstSigLine + i));
  return { text, signatures };
}

function parseSignatureLine(line: string, lineNo: number): NoteSignature {
  if (!line.startsWith(`${EM_DASH} `))
    throw lineError(msg('ledger.note-bad-signature-line.dash'), lineNo, '"— <name> <base64>"', line);
  const rest = line.slice(2);
  const sp = rest.indexOf(' ');
  if (sp < 0) throw lineError(msg('ledger.note-bad-signature-line.space'), lineNo, '"— <name> <base64>"', line);
  const name = rest.slice(0, sp);
  const b64 = rest.slice(sp + 1);
  try {
    checkKeyName(name);
  } catch {
    throw lineError(msg('ledger.note-bad-key-name', { name: JSON.stringify(name) }), lineNo, 'no spaces, no "+"', name);
  }
  const raw = Buffer.from(b64, 'base64');
  if (b64.length === 0 || raw.toString('base64') !== b64)
    throw lineError(msg('ledger.note-bad-base64'), lineNo, 'standard base64 with padding', b64);
  if (raw.length < 5) throw lineError(msg('ledger.note-short-signature', { bytes: raw.length }), lineNo);
  return { name, keyId: raw.readUInt32BE(0), sig: Buffer.from(raw.subarray(4)), line, lineNo };
}

/** Format one signature line (without newline). */
export function signatureLine(name: string, keyId: number, sig: Uint8Array): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId >>> 0);
  return `${EM_DASH} ${name} ${Buffer.concat([id, sig]).toString('base64')}`;
}

/** Sign a note text with one or more signers (e.g. old and new log keys during rotation). */
export function signNote(text: string, signers: NoteSigner[]): string {
  checkNoteText(text);
  if (signers.length === 0) throw new LedgerError(msg('ledger.note-no-signers'));
  const bytes = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => signatureLine(s.name, s.keyId, s.sign(bytes)));
  return `${text}\n${lines.join('\n')}\n`;
}

/** Append more signatures (e.g. a witness cosignature) to a signed note; keeps existing lines. */
export function addSignatures(note: string, signers: NoteSigner[]): string {
  const parsed = parseNote(note);
  const bytes = Buffer.from(parsed.text, 'utf8');
  const have = new Set(parsed.signatures.map((s) => `${s.name}+${s.keyId}`));
  const extra = signers
    .filter((s) => !have.has(`${s.name}+${s.keyId}`))
    .map((s) => signatureLine(s.name, s.keyId, s.sign(bytes)));
  return [parsed.text, ...parsed.signatures.map((s) => s.line), ...extra].join('\n') + '\n';
}

/** Add already-made signature lines (e.g. cosignatures received from witnesses). */
export function addSignatureLines(note: string, lines: string[]): string {
  const parsed = parseNote(note);
  const have = new Set(parsed.signatures.map((s) => s.line));
  for (const [i, l] of lines.entries()) parseSignatureLine(l, i + 1);
  return [parsed.text, ...parsed.signatures.map((s) => s.line), ...lines.filter((l) => !have.has(l))].join('\n') + '\n';
}

/**
 * Parse and verify a signed note against trusted verifiers. Throws a LedgerError:
 * - 'note-bad-signature' if a signature by a trusted (name, key ID) fails to verify,
 * - 'note-no-trusted-signature' if no trusted key signed it,
 * and the parse errors of parseNote. Duplicate signatures by one key are dropped.
 */
export function openNote(input: string | Uint8Array, verifiers: NoteVerifier[]): OpenedNote {
  const parsed = parseNote(input);
  const bytes = Buffer.from(parsed.text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const s of parsed.signatures) {
    const v = verifiers.find((x) => x.name === s.name && x.keyId === s.keyId);
    if (!v) {
      unverified.push(s);
      continue;
    }
    const key = `${s.name}+${s.keyId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!v.verify(bytes, s.sig)) {
      throw lineError(msg('ledger.note-bad-signature', { name: s.name, key: keyIdHex(s.keyId) }), s.lineNo);
    }
    verified.push(s);
  }
  if (verified.length === 0) {
    const names = parsed.signatures.map((s) => `${s.name}/${keyIdHex(s.keyId)}`).join(', ');
    const trusted = verifiers.map((v) => `${v.name}/${keyIdHex(v.keyId)}`).join(', ');
    throw new LedgerError(
      trusted
        ? msg('ledger.note-no-trusted-signature', { names, trusted })
        : msg('ledger.note-no-trusted-signature.noneTrusted', { names }),
      [{ field: 'signatures', expected: 'a signature by a trusted key' }],
    );
  }
  return { ...parsed, verified, unverified };
}
