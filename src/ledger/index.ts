/**
 * Counterweight ledger: a pure transparency-log library (no HTTP, no SQL).
 * RFC 6962/9162 Merkle trees, C2SP tlog-tiles, signed-note, tlog-checkpoint,
 * tlog-cosignature, tlog-proof; commitment leaves; a full-log auditor.
 */
export * from './errors';
export * from './merkle';
export * from './tiles';
export * from './keys';
export * from './note';
export * from './checkpoint';
export * from './cosignature';
export * from './proof';
export * from './leaf';
export * from './audit';
