/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, proofs and verification.
 *
 * Sizes and indices are JavaScript numbers (safe integers, < 2^53); every bit operation
 * below is written with arithmetic so it stays correct above 2^31.
 *
 * Proofs are built against a `HashReader`: a function returning the stored hash of a
 * complete (perfect) subtree, so a log held as tiles (see tiles.ts) can serve proofs
 * without the leaves in memory. Every proof element of RFC 9162 is the hash of a leaf
 * range [start, end) that decomposes into at most log2(n) perfect subtrees, so proofs
 * cost O(log n) reads and O(log n) hashes.
 */
import * as nodeCrypto from 'node:crypto';
import { LedgerError } from './errors';
import { msg } from '../domain/messages';
import { leafHashInto, sha256 } from './tile-hash.mjs';

export const HASH_SIZE = 32;
/** A SHA-256 hash (32 bytes). */
export type Hash = Uint8Array;

/** A perfect subtree: leaves [index * 2^level, (index + 1) * 2^level). Level 0 = leaf hashes. */
export interface NodeId {
  level: number;
  index: number;
}

/** Returns the stored hash of the perfect subtree at (level, index). Must throw if unknown. */
export type HashReader = (level: number, index: number) => Hash;
/** Batch, possibly remote, variant: returns the hashes of the given nodes in the same order. */
export type AsyncHashReader = (nodes: NodeId[]) => Promise<Hash[]>;

// Scratch buffer: hashing is synchronous, so one per module is safe and saves an allocation a hash.
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;

/** RFC 6962 leaf hash: SHA-256(0x00 || entry). tile-hash.mjs hashes entries up to a bundle's 65,535 bytes; longer ones stream. */
export function leafHash(entry: Uint8Array): Buffer {
  if (entry.length > 65535) return nodeCrypto.createHash('sha256').update(Buffer.of(0)).update(entry).digest();
  const out = Buffer.allocUnsafe(HASH_SIZE);
  leafHashInto(entry, 0, entry.length, out, 0);
  return out;
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). Both must be 32 bytes. */
export function nodeHash(left: Hash, right: Hash): Buffer {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return sha256(nodeScratch);
}

/** Root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

/** 2^k as a number (exact up to 2^53). */
const pow2 = (k: number): number => 2 ** k;
const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function isPow2(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/** Largest power of two strictly less than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError(msg('ledger.bad-size', { what, got: value }), [
      { field: what, expected: 'integer in [0, 2^53)', got: String(value) },
    ]);
  }
}

function checkHash(h: Hash, what: string): void {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    throw new LedgerError(
      h instanceof Uint8Array
        ? msg('ledger.bad-hash-length', { what, bytes: HASH_SIZE, got: h.length })
        : msg('ledger.bad-hash-length.none', { what, bytes: HASH_SIZE }),
      [{ field: what, expected: `${HASH_SIZE} bytes` }],
    );
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/**
 * The perfect subtrees whose hashes, folded right to left with nodeHash, give MTH(D[start:end]).
 * Valid for every range RFC 9162 proofs use (start aligned to the next power of two >= end - start).
 * At most log2(end - start) + 1 nodes.
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  while (start < end) {
    let level = 0;
    // grow while start stays aligned and the subtree still fits
    while (start % pow2(level + 1) === 0 && start + pow2(level + 1) <= end) level++;
    out.push({ level, index: start / pow2(level) });
    start += pow2(level);
  }
  return out;
}

/** Fold perfect-subtree hashes (left to right, decreasing sizes) into the range's MTH. */
export function foldRange(hashes: Hash[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let h: Buffer = Buffer.from(hashes[hashes.length - 1]);
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i], h);
  return h;
}

/** MTH(D[start:end]) read from stored perfect subtrees. O(log(end - start)). */
export function hashRange(start: number, end: number, read: HashReader): Buffer {
  return foldRange(rangeNodes(start, end).map((n) => read(n.level, n.index)));
}

/** Root hash of the first `size` leaves, from stored subtrees. O(log size). */
export function rootAt(size: number, read: HashReader): Buffer {
  checkSize(size, 'size');
  return size === 0 ? EMPTY_ROOT : hashRange(0, size, read);
}

/** Merkle Tree Hash of a list of leaf hashes (in memory; O(n)). */
export function rootFromLeafHashes(leafHashes: Hash[]): Buffer {
  const f = new Frontier();
  for (const h of leafHashes) f.append(h);
  return f.root();
}

/** Leaf ranges of an RFC 9162 inclusion proof for `index` in a tree of `size`, leaf side first. */
export function inclusionRanges(index: number, size: number): [number, number][] {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw new LedgerError(msg('ledger.index-out-of-range', { index, size }), [{ field: 'index' }]);
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size;
  let m = index;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
    }
  }
  return ranges.reverse();
}

/** Leaf ranges of an RFC 9162 consistency proof from size m to size n (0 < m <= n). */
export function consistencyRanges(m: number, n: number): [number, number][] {
  checkSize(m, 'size1');
  checkSize(n, 'size2');
  if (m === 0 || m > n) {
    throw new LedgerError(msg('ledger.bad-consistency-sizes', { m, n }), [
      { field: 'size1', expected: '0 < size1 <= size2' },
    ]);
  }
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = n;
  let rel = m;
  let whole = true; // RFC 9162 SUBPROOF's flag b: m is the whole original old tree
  for (;;) {
    if (rel === hi - lo) {
      if (!whole) ranges.push([lo, hi]);
      break;
    }
    const k = splitPoint(hi - lo);
    if (rel <= k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      rel -= k;
      whole = false;
    }
  }
  return ranges.reverse();
}

function plan(ranges: [number, number][]): NodeId[][] {
  return ranges.map(([a, b]) => rangeNodes(a, b));
}

/** RFC 9162 inclusion proof (audit path) for leaf `index` in the tree of `size`. O(log n). */
export function inclusionProof(index: number, size: number, read: HashReader): Buffer[] {
  return plan(inclusionRanges(index, size)).map((nodes) => foldRange(nodes.map((n) => read(n.level, n.index))));
}

/** RFC 9162 consistency proof from size m to size n. O(log n). */
export function consistencyProof(m: number, n: number, read: HashReader): Buffer[] {
  if (m === n && m > 0) return [];
  return plan(consistencyRanges(m, n)).map((nodes) => foldRange(nodes.map((x) => read(x.level, x.index))));
}

async function assembleAsync(p: NodeId[][], readMany: AsyncHashReader): Promise<Buffer[]> {
  const flat = p.flat();
  const hashes = await readMany(flat);
  if (hashes.length !== flat.length)
    throw new LedgerError(msg('ledger.reader-short', { hashes: hashes.length, nodes: flat.length }));
  const out: Buffer[] = [];
  let at = 0;
  for (const nodes of p) {
    out.push(foldRange(hashes.slice(at, at + nodes.length)));
    at += nodes.length;
  }
  return out;
}

/** Nodes a caller must fetch to build an inclusion proof (to prefetch tiles in one round trip). */
export function inclusionProofNodes(index: number, size: number): NodeId[] {
  return plan(inclusionRanges(index, size)).flat();
}

/** Inclusion proof from a batch reader (e.g. tiles over HTTP): one round of reads. */
export function inclusionProofAsync(index: number, size: number, readMany: AsyncHashReader): Promise<Buffer[]> {
  return assembleAsync(plan(inclusionRanges(index, size)), readMany);
}

/** Consistency proof from a batch reader. */
export function consistencyProofAsync(m: number, n: number, readMany: AsyncHashReader): Promise<Buffer[]> {
  if (m === n && m > 0) return Promise.resolve([]);
  return assembleAsync(plan(consistencyRanges(m, n)), readMany);
}

/** Root hash of size `size` from a batch reader. */
export async function rootAtAsync(size: number, readMany: AsyncHashReader): Promise<Buffer> {
  checkSize(size, 'size');
  if (size === 0) return EMPTY_ROOT;
  return foldRange(await readMany(rangeNodes(0, size)));
}

/**
 * The root an inclusion proof implies (RFC 9162 section 2.1.3.2), or a LedgerError saying
 * why the proof cannot be evaluated (index out of range, wrong length, bad hash size).
 */
export function rootFromInclusionProof(index: number, size: number, leaf: Hash, proof: Hash[]): Buffer {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size)
    throw new LedgerError(msg('ledger.index-out-of-range.leaf', { index, size }), [{ field: 'index' }]);
  checkHash(leaf, 'leafHash');
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (let i = 0; i < proof.length; i++) {
    const p = proof[i];
    if (sn === 0)
      throw new LedgerError(msg('ledger.inclusion-proof-too-long', { hashes: proof.length, index, size }), [
        { field: `proof[${i}]` },
      ]);
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0)
    throw new LedgerError(msg('ledger.inclusion-proof-too-short', { hashes: proof.length, index, size }), [
      { field: 'proof' },
    ]);
  return r;
}

/** Verify an RFC 9162 inclusion proof; throws a LedgerError naming the failure. */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: Hash[], root: Hash): void {
  const r = rootFromInclusionProof(index, size, leaf, proof);
  if (!equalBytes(r, root)) {
    throw new LedgerError(msg('ledger.inclusion-root-mismatch', { index, size }), [{ field: 'root' }]);
  }
}

/**
 * Verify an RFC 9162 consistency proof from (size1, root1) to (size2, root2); throws a
 * LedgerError naming the failure. A proof from the empty tree is rejected: it proves
 * nothing (any tree extends the empty tree), so callers handle size1 = 0 explicitly.
 */
export function verifyConsistency(size1: number, size2: number, proof: Hash[], root1: Hash, root2: Hash): void {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size2 < size1) throw new LedgerError(msg('ledger.consistency-shrink', { size1, size2 }), [{ field: 'size2' }]);
  if (size1 === 0) {
    throw new LedgerError(msg('ledger.consistency-from-empty'), [{ field: 'size1', expected: '> 0' }]);
  }
  if (size1 === size2) {
    if (proof.length > 0)
      throw new LedgerError(msg('ledger.consistency-proof-not-empty', { size1, hashes: proof.length }), [
        { field: 'proof' },
      ]);
    if (!equalBytes(root1, root2))
      throw new LedgerError(msg('ledger.consistency-fork', { size1 }), [{ field: 'root2' }]);
    return;
  }
  if (proof.length === 0)
    throw new LedgerError(msg('ledger.consistency-proof-empty', { size1, size2 }), [{ field: 'proof' }]);
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));
  checkHash(root1, 'root1');
  checkHash(root2, 'root2');

  // RFC 9162 section 2.1.4.2
  let path = proof;
  if (isPow2(size1)) path = [root1, ...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0)
      throw new LedgerError(msg('ledger.consistency-proof-too-long', { size1, size2, hashes: proof.length }), [
        { field: 'proof' },
      ]);
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0)
    throw new LedgerError(msg('ledger.consistency-proof-too-short', { size1, size2, hashes: proof.length }), [
      { field: 'proof' },
    ]);
  if (!equalBytes(fr, root1))
    throw new LedgerError(msg('ledger.consistency-root1-mismatch', { size1 }), [{ field: 'root1' }]);
  if (!equalBytes(sr, root2))
    throw new LedgerError(msg('ledger.consistency-root2-mismatch', { size2 }), [{ field: 'root2' }]);
}

/** Boolean wrappers for callers that only need yes/no. */
export function isValidInclusion(index: number, size: number, leaf: Hash, proof: Hash[], root: Hash): boolean {
  try {
    verifyInclusion(index, size, leaf, proof, root);
    return true;
  } catch {
    return false;
  }
}

export function isValidConsistency(size1: number, size2: number, proof: Hash[], root1: Hash, root2: Hash): boolean {
  try {
    verifyConsistency(size1, size2, proof, root1, root2);
    return true;
  } catch {
    return false;
  }
}

/** A newly completed perfect subtree, reported while appending (feeds tiles). */
export type NodeSink = (level: number, index: number, hash: Buffer) => void;

/**
 * Compact range [0, size): the hashes of the perfect subtrees that make up the tree's
 * binary decomposition (at most log2(size) + 1 of them), left to right.
 * Appending a leaf is amortised O(1) hashes; appending k leaves to size n costs
 * O(k + log n) and reports every newly completed perfect subtree to `onNode`.
 */
export class Frontier {
  private hashes: Buffer[] = [];
  private levels: number[] = [];
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** Rebuild from stored subtrees: O(log size) reads. */
  static fromReader(size: number, read: HashReader): Frontier {
    checkSize(size, 'size');
    const f = new Frontier();
    for (const node of rangeNodes(0, size)) {
      f.hashes.push(Buffer.from(read(node.level, node.index)));
      f.levels.push(node.level);
    }
    f.n = size;
    return f;
  }

  /** Rebuild from the hashes of `nodes()` of a frontier of this size (e.g. kept in a store row). */
  static fromHashes(size: number, hashes: Hash[]): Frontier {
    const nodes = rangeNodes(0, size);
    if (nodes.length !== hashes.length)
      throw new LedgerError(msg('ledger.bad-frontier', { size, want: nodes.length, got: hashes.length }));
    return Frontier.fromReader(size, (_l, _i) => hashes[nodes.findIndex((n) => n.level === _l && n.index === _i)]);
  }

  clone(): Frontier {
    const f = new Frontier();
    f.hashes = this.hashes.slice();
    f.levels = this.levels.slice();
    f.n = this.n;
    return f;
  }

  /** The perfect subtrees of the decomposition, left to right. */
  nodes(): (NodeId & { hash: Buffer })[] {
    let start = 0;
    return this.levels.map((level, i) => {
      const node = { level, index: start / pow2(level), hash: this.hashes[i] };
      start += pow2(level);
      return node;
    });
  }

  /** Append one leaf hash. Amortised O(1). */
  append(leaf: Hash, onNode?: NodeSink): void {
    this.appendNode(0, leaf, onNode);
  }

  /**
   * Append a whole perfect subtree of 2^level leaves given its hash (e.g. the root of a full
   * tile, level 8). The current size must be a multiple of 2^level.
   */
  appendNode(level: number, hash: Hash, onNode?: NodeSink): void {
    const width = pow2(level);
    if (this.n % width !== 0) throw new LedgerError(msg('ledger.frontier-unaligned', { level, size: this.n }));
    let h = hash instanceof Buffer ? hash : Buffer.from(hash);
    let index = this.n / width;
    if (onNode) onNode(level, index, h);
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      this.levels.pop();
      h = nodeHash(this.hashes.pop()!, h);
      level++;
      index = half(index);
      if (onNode) onNode(level, index, h);
    }
    this.hashes.push(h);
    this.levels.push(level);
    this.n += width;
  }

  /** Root hash of the current tree. O(log size). */
  root(): Buffer {
    return foldRange(this.hashes);
  }
}
