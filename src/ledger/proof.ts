/**
 * c2sp.org/tlog-proof@v1: an offline-verifiable receipt that one entry is in the log.
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64 opaque data>]
 *   index <decimal>
 *   <base64 inclusion proof hash, leaf side first>*
 *   <empty line>
 *   <signed checkpoint, verbatim>
 *
 * Our receipts put the entry bytes (the leaf: a commitment with no personal data, see leaf.ts)
 * in `extra`, so a receipt is self-contained; the extra data is not trusted on its own — it is
 * only accepted because it hashes to a leaf that the inclusion proof ties to the signed root.
 */
import { openCheckpoint, type Checkpoint } from './checkpoint';
import { verifyCosignatures, type VerifiedCosignature } from './cosignature';
import { LedgerError, lineError } from './errors';
import { msg } from '../domain/messages';
import type { NoteVerifier } from './keys';
import { HASH_SIZE, leafHash, verifyInclusion, type Hash } from './merkle';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  index: number;
  /** Inclusion proof hashes, leaf side first. */
  proof: Buffer[];
  /** The signed checkpoint note, verbatim (may carry cosignatures). */
  checkpoint: string;
  /** Optional opaque extra data (our receipts: the entry bytes). */
  extra?: Buffer;
}

export function encodeTlogProof(p: TlogProof): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0)
    throw new LedgerError(msg('ledger.proof-index.negative', { got: p.index }), [{ field: 'index' }]);
  if (!p.checkpoint.endsWith('\n'))
    throw new LedgerError(msg('ledger.proof-checkpoint.newline'), [{ field: 'checkpoint' }]);
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${Buffer.from(p.extra).toString('base64')}`);
  lines.push(`index ${p.index}`);
  for (const [i, h] of p.proof.entries()) {
    if (h.length !== HASH_SIZE)
      throw new LedgerError(msg('ledger.proof-hash.length', { i, bytes: h.length }), [{ field: `proof[${i}]` }]);
    lines.push(Buffer.from(h).toString('base64'));
  }
  return `${lines.join('\n')}\n\n${p.checkpoint}`;
}

/** Strict decode; errors name the line. The checkpoint is not verified here. */
export function decodeTlogProof(text: string): TlogProof {
  const lines = text.split('\n');
  if (lines[0] !== TLOG_PROOF_HEADER) throw lineError(msg('ledger.proof-header'), 1, TLOG_PROOF_HEADER, lines[0]);
  let at = 1;
  let extra: Buffer | undefined;
  if (lines[at]?.startsWith('extra ')) {
    const b64 = lines[at].slice(6);
    extra = Buffer.from(b64, 'base64');
    if (extra.toString('base64') !== b64) throw lineError(msg('ledger.proof-extra'), at + 1, 'standard base64', b64);
    at++;
  }
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[at] ?? '');
  if (!m)
    throw lineError(msg('ledger.proof-index.line'), at + 1, '"index <decimal, no leading zeros>"', lines[at] ?? '');
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index)) throw lineError(msg('ledger.proof-index.tooLarge'), at + 1);
  at++;
  const proof: Buffer[] = [];
  while (at < lines.length && lines[at] !== '') {
    const h = Buffer.from(lines[at], 'base64');
    if (h.toString('base64') !== lines[at] || h.length !== HASH_SIZE)
      throw lineError(msg('ledger.proof-hash.line', { bytes: HASH_SIZE }), at + 1, 'base64 SHA-256 hash', lines[at]);
    proof.push(h);
    at++;
  }
  if (at >= lines.length) throw lineError(msg('ledger.proof-checkpoint.noBlank'), at + 1);
  const checkpoint = lines.slice(at + 1).join('\n');
  if (checkpoint.length === 0) throw lineError(msg('ledger.proof-checkpoint.missing'), at + 2);
  return { index, proof, checkpoint, ...(extra !== undefined ? { extra } : {}) };
}

/** Build a receipt for one entry: entry bytes in `extra`, inclusion proof, signed checkpoint. */
export function makeReceipt(index: number, entry: Uint8Array, proof: Hash[], checkpointNote: string): string {
  return encodeTlogProof({
    index,
    proof: proof.map((h) => Buffer.from(h)),
    checkpoint: checkpointNote,
    extra: Buffer.from(entry),
  });
}

export interface ProofPolicy {
  /** The log's origin (checkpoint first line) the verifier expects. */
  origin: string;
  /** The log's verifier keys (type 0x01). During rotation list old and new. */
  logVerifiers: NoteVerifier[];
  /** Trusted witnesses (type 0x04) and the number of cosignatures required (default 0). */
  witnesses?: NoteVerifier[];
  quorum?: number;
  now?: number;
}

export interface VerifiedProof {
  index: number;
  checkpoint: Checkpoint;
  leafHash: Buffer;
  /** The entry bytes that were verified (given by the caller or taken from extra). */
  entry?: Buffer;
  cosignatures: VerifiedCosignature[];
}

/**
 * Verify a tlog-proof: log signature (and witness quorum), origin, then inclusion of the entry
 * (or leaf hash) at `index` under the signed root. The entry comes from `subject.entry`, else
 * `subject.leafHash`, else the proof's `extra`. Throws a LedgerError whose code says what failed:
 * proof-* (format), note-* / checkpoint-* (signature, origin), cosignature-quorum,
 * index-out-of-range / inclusion-* (Merkle), proof-entry-mismatch.
 */
export function verifyTlogProof(
  proofText: string | TlogProof,
  policy: ProofPolicy,
  subject: { entry?: Uint8Array; leafHash?: Hash } = {},
): VerifiedProof {
  const p = typeof proofText === 'string' ? decodeTlogProof(proofText) : proofText;
  const { checkpoint } = openCheckpoint(p.checkpoint, policy.logVerifiers, policy.origin);
  const cosignatures =
    (policy.quorum ?? 0) > 0 || (policy.witnesses?.length ?? 0) > 0
      ? verifyCosignatures(p.checkpoint, {
          witnesses: policy.witnesses ?? [],
          quorum: policy.quorum ?? 0,
          now: policy.now,
        })
      : [];
  let entry: Buffer | undefined;
  if (subject.entry) {
    entry = Buffer.from(subject.entry);
    if (p.extra !== undefined && !p.extra.equals(entry)) {
      throw new LedgerError(msg('ledger.proof-entry-mismatch'), [{ field: 'extra' }]);
    }
  } else if (!subject.leafHash && p.extra !== undefined) {
    entry = p.extra;
  }
  const lh = entry ? leafHash(entry) : subject.leafHash ? Buffer.from(subject.leafHash) : undefined;
  if (!lh) throw new LedgerError(msg('ledger.proof-no-entry'), [{ field: 'entry' }]);
  if (p.index >= checkpoint.size) {
    throw new LedgerError(msg('ledger.index-out-of-range.checkpoint', { index: p.index, size: checkpoint.size }), [
      { field: 'index' },
    ]);
  }
  verifyInclusion(p.index, checkpoint.size, lh, p.proof, checkpoint.root);
  return { index: p.index, checkpoint, leafHash: lh, ...(entry ? { entry } : {}), cosignatures };
}
