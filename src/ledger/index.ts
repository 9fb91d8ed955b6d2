/**
 * Counterweight ledger: a pure transparency-log library (no HTTP, no SQL).
 * RFC 6962/9162 Merkle trees, C2SP tlog-tiles, signed-note, tlog-checkpoint,
 * tlog-cosignature, tlog-proof; commitment leaves; a full-log auditor.
 *
 * The public surface: what the rest of Counterweight uses, by name (test/unit/architecture/
 * library-surfaces.test.ts pins it). Tests of the library's parts import the modules themselves.
 */
export { LedgerError } from './errors';
export { consistencyProofAsync, type Frontier, inclusionProofAsync, verifyConsistency } from './merkle';
export {
  bundlesForSize,
  integrate,
  parseTilePath,
  partialTiles,
  type TileData,
  tileHashReaderAsync,
  tilePath,
  type TileRef,
  tilesForSize,
} from './tiles';
export {
  generateKeyPair,
  keyIdHex,
  newSigner,
  newVerifier,
  type NoteSigner,
  type NoteVerifier,
  SIG_COSIGNATURE_V1,
  verifierKeyOf,
} from './keys';
export { parseNote } from './note';
export { openCheckpoint, signCheckpoint } from './checkpoint';
export { verifyCosignatures, witness, type WitnessState } from './cosignature';
export { decodeTlogProof, makeReceipt, verifyTlogProof } from './proof';
export {
  buildTombstone,
  canonicalBytes,
  encodeEventInput,
  type ErasureReason,
  type EventLeaf,
  isoOf,
  isPseudonymousRef,
  type Leaf,
  parseLeaf,
  type PayloadArea,
  payloadHash,
  type TombstoneLeaf,
} from './leaf';
export { auditLog, type AuditReport } from './audit';
export { writeLeafInput } from './tile-hash.mjs';
