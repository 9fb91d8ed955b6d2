export interface BundleHashes {
  /** Why the bundle is malformed, if it is. */
  bad?: string;
  /** Index of the entry where the bundle went wrong. */
  badAt: number;
  /** width × 32 bytes of leaf hashes, or null if bad. */
  hashes: Buffer | null;
  /** Subtree root of a full tile (width 256), else null. */
  root: Buffer | null;
}
export function hashBundle(bundle: Uint8Array, width: number): BundleHashes;
export function foldTile(tile: Uint8Array): Buffer;
export function leafHashInto(entry: Uint8Array, start: number, end: number, out: Buffer, offset: number): void;
export function writeLeafInput(leafInput: string, buf: Buffer, at: number, out: Buffer, offset: number): number;
/** SHA-256 of bytes, as a new Buffer. */
export function sha256(data: Uint8Array): Buffer;
/** SHA-256 of bytes, as lowercase hex. */
export function sha256Hex(data: Uint8Array): string;
