/**
 * C2SP tlog-cosignature v1 (Ed25519, signature type 0x04) and a witness.
 *
 * A cosignature is a note signature line `— <witness name> base64(keyID || u64 timestamp ||
 * Ed25519 signature)` where the key ID is SHA-256(name || "\n" || 0x04 || pubkey)[:4] and the
 * signed message is "cosignature/v1\ntime <timestamp>\n" || checkpoint text. Keys: keys.ts
 * (generateKeyPair(name, SIG_COSIGNATURE_V1)).
 */
import { parseCheckpoint, type Checkpoint } from './checkpoint';
import { LedgerError, lineError } from './errors';
import { UserError } from '../domain/errors';
import { msg, render, type Message } from '../domain/messages';
import {
  cosignatureTimestamp,
  keyIdHex,
  newSigner,
  SIG_COSIGNATURE_V1,
  type NoteSigner,
  type NoteVerifier,
} from './keys';
import { equalBytes, verifyConsistency, type Hash } from './merkle';
import { openNote, parseNote, signatureLine } from './note';

/** A cosigner (witness) signer from a type-0x04 signer key string; `clock` gives ms since epoch. */
export function newCosigner(skey: string, clock: () => number = () => Date.now()): NoteSigner {
  const s = newSigner(skey, clock);
  if (s.type !== SIG_COSIGNATURE_V1)
    throw new LedgerError(msg('ledger.bad-key-type.notCosigner', { name: s.name }), [{ field: 'signer key' }]);
  return s;
}

/** One cosignature line (without newline) over a checkpoint note text. */
export function cosignatureLine(checkpointText: string, cosigner: NoteSigner): string {
  if (cosigner.type !== SIG_COSIGNATURE_V1)
    throw new LedgerError(msg('ledger.bad-key-type.notCosigner', { name: cosigner.name }));
  return signatureLine(cosigner.name, cosigner.keyId, cosigner.sign(Buffer.from(checkpointText, 'utf8')));
}

export interface VerifiedCosignature {
  name: string;
  keyId: number;
  /** POSIX seconds at which the witness cosigned. */
  timestamp: bigint;
}

export interface CosignaturePolicy {
  /** Trusted witness verifier keys (type 0x04). */
  witnesses: NoteVerifier[];
  /** How many distinct trusted witnesses must have cosigned (default 1). */
  quorum?: number;
  /** If set, reject cosignatures dated more than this many seconds after `now`. */
  maxFutureSeconds?: number;
  /** Current time in ms (default Date.now()). */
  now?: number;
}

/**
 * Verify the cosignatures on a signed checkpoint note. Unknown signature lines (the log's own,
 * unknown witnesses) are ignored; a line by a trusted witness that fails to verify rejects the
 * note ('note-bad-signature'); fewer valid cosignatures than the quorum → 'cosignature-quorum'.
 */
export function verifyCosignatures(note: string, policy: CosignaturePolicy): VerifiedCosignature[] {
  const out: VerifiedCosignature[] = [];
  const quorum = policy.quorum ?? 1;
  const witnesses = policy.witnesses.filter((w) => w.type === SIG_COSIGNATURE_V1);
  let opened;
  try {
    opened = openNote(note, witnesses);
  } catch (e) {
    if (e instanceof LedgerError && e.code === 'note-no-trusted-signature') {
      if (quorum <= 0) return [];
      throw new LedgerError(msg('ledger.cosignature-quorum.none', { quorum }), [
        { field: 'signatures', expected: `${quorum} witness cosignature(s)` },
      ]);
    }
    throw e;
  }
  const now = BigInt(Math.floor((policy.now ?? Date.now()) / 1000));
  for (const s of opened.verified) {
    const t = cosignatureTimestamp(s.sig)!;
    if (policy.maxFutureSeconds !== undefined && t > now + BigInt(policy.maxFutureSeconds)) {
      throw lineError(msg('ledger.cosignature-future', { name: s.name, time: String(t) }), s.lineNo);
    }
    out.push({ name: s.name, keyId: s.keyId, timestamp: t });
  }
  if (out.length < quorum) {
    throw new LedgerError(msg('ledger.cosignature-quorum.short', { count: out.length, quorum }), [
      { field: 'signatures' },
    ]);
  }
  return out;
}

/** A failure as a message: a coded error's own, else its text as written. */
function why(e: unknown): Message {
  if (e instanceof UserError && e.messageCode) return { code: e.messageCode, params: e.messageParams };
  return msg('stored.text', { text: e instanceof Error ? e.message : String(e) });
}

/** What a witness remembers about a log: the last checkpoint it cosigned. */
export interface WitnessState {
  origin: string;
  size: number;
  root: Buffer;
  /** The signed checkpoint note it last accepted. */
  note: string;
}

export type WitnessRefusal =
  | 'malformed-checkpoint'
  | 'unknown-origin'
  | 'bad-log-signature'
  | 'old-size-mismatch'
  | 'rollback'
  | 'fork'
  | 'proof-not-empty'
  | 'inconsistent';

export type WitnessResult =
  | { ok: true; cosignature: string; note: string; state: WitnessState; checkpoint: Checkpoint }
  | {
      ok: false;
      code: WitnessRefusal;
      /** Why, as a message (`witness.*`) for the reader's language; `message` is the same in English. */
      text: Message;
      message: string;
      /** size the witness knows (for 'old-size-mismatch') */ knownSize?: number;
    };

export interface WitnessInput {
  /** The log's origin this witness follows. */
  origin: string;
  /** The log's trusted verifier keys. */
  logVerifiers: NoteVerifier[];
  /** Last checkpoint cosigned for this log, or null on first contact (treated as size 0). */
  last: WitnessState | null;
  /** The new signed checkpoint. */
  note: string;
  /** Consistency proof from last.size to the new size (empty when last is null/0 or sizes equal). */
  proof: Hash[];
  /** Size the log believes the witness last saw (tlog-witness "old" line); checked when given. */
  oldSize?: number;
  /** The witness's type-0x04 signer. */
  cosigner: NoteSigner;
}

/**
 * Check a new checkpoint against the last one this witness saw and cosign it, or refuse with
 * a precise reason. Verifies the log's signature and origin, refuses rollbacks and forks, and
 * verifies the consistency proof. The caller persists `state` only when ok.
 */
export function witness(input: WitnessInput): WitnessResult {
  const refuse = (code: WitnessRefusal, text: Message, knownSize?: number): WitnessResult => ({
    ok: false,
    code,
    text,
    message: render(text, 'en'),
    ...(knownSize !== undefined ? { knownSize } : {}),
  });
  let text: string;
  try {
    text = openNote(input.note, input.logVerifiers).text;
  } catch (e) {
    const code = e instanceof LedgerError ? e.code : '';
    if (code === 'note-bad-signature' || code === 'note-no-trusted-signature')
      return refuse('bad-log-signature', why(e));
    return refuse('malformed-checkpoint', why(e));
  }
  let cp: Checkpoint;
  try {
    cp = parseCheckpoint(text);
  } catch (e) {
    return refuse('malformed-checkpoint', why(e));
  }
  if (cp.origin !== input.origin)
    return refuse(
      'unknown-origin',
      msg('witness.unknownOrigin', { got: JSON.stringify(cp.origin), want: JSON.stringify(input.origin) }),
    );
  if (input.last && input.last.origin !== input.origin)
    return refuse(
      'unknown-origin',
      msg('witness.stateOrigin', { got: JSON.stringify(input.last.origin), want: JSON.stringify(input.origin) }),
    );
  const lastSize = input.last?.size ?? 0;
  if (input.oldSize !== undefined && input.oldSize !== lastSize) {
    return refuse('old-size-mismatch', msg('witness.oldSize', { claimed: input.oldSize, seen: lastSize }), lastSize);
  }
  if (cp.size < lastSize)
    return refuse('rollback', msg('witness.rollback', { size: cp.size, seen: lastSize }), lastSize);
  if (lastSize === 0 || cp.size === lastSize) {
    if (input.proof.length > 0)
      return refuse(
        'proof-not-empty',
        msg('witness.proofNotEmpty', { seen: lastSize, size: cp.size, hashes: input.proof.length }),
      );
    if (input.last && cp.size === lastSize && lastSize > 0 && !equalBytes(cp.root, input.last.root)) {
      return refuse(
        'fork',
        msg('witness.fork', {
          size: cp.size,
          seenRoot: input.last.root.toString('base64'),
          root: cp.root.toString('base64'),
        }),
      );
    }
  } else {
    try {
      verifyConsistency(lastSize, cp.size, input.proof, input.last!.root, cp.root);
    } catch (e) {
      return refuse('inconsistent', msg('witness.inconsistent', { size: cp.size, seen: lastSize, reason: [why(e)] }));
    }
  }
  const line = cosignatureLine(text, input.cosigner);
  const parsed = parseNote(input.note);
  const kept = parsed.signatures
    .filter((s) => !(s.name === input.cosigner.name && s.keyId === input.cosigner.keyId))
    .map((s) => s.line);
  const note = [parsed.text, ...kept, line].join('\n') + '\n';
  return {
    ok: true,
    cosignature: line,
    note,
    checkpoint: cp,
    state: { origin: cp.origin, size: cp.size, root: cp.root, note: input.note },
  };
}

export const describeKey = (v: { name: string; keyId: number }): string => `${v.name}/${keyIdHex(v.keyId)}`;
