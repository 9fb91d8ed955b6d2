/**
 * Audit a whole log from its tiles, entry bundles and signed checkpoint, trusting nothing
 * the log says: the signature is checked against trusted keys, every entry is re-hashed,
 * every stored tile hash is recomputed from the entries, the root is rebuilt and compared,
 * and the roots at the sizes of kept older checkpoints are recomputed (a rewritten history
 * cannot match them, even if re-signed with the real key).
 *
 * Streaming: one entry bundle and one level-0 tile at a time (plus the current tile of each
 * upper level). Cost: n leaf hashes + about n node hashes, O(n) time, O(log n) memory.
 * Full level-0 tiles are folded in a tight loop and appended to the frontier as level-8 nodes.
 */
import { openCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint';
import { verifyCosignatures, type VerifiedCosignature } from './cosignature';
import { LedgerError } from './errors';
import { UserError } from '../domain/errors';
import { msg, render, type Message } from '../domain/messages';
import type { NoteVerifier } from './keys';
import { foldTile, hashBundle, type BundleHashes } from './tile-hash.mjs';
import { Frontier, HASH_SIZE, equalBytes } from './merkle';
import { openNote } from './note';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { TILE_HEIGHT, TILE_WIDTH, decodeBundle, tilePath, tileWidth, type TileRef } from './tiles';

export interface AuditProblem {
  /**
   * 'signature' | 'checkpoint' | 'cosignature' | 'tile-missing' | 'tile-size' | 'bundle-format'
   * | 'leaf-mismatch' | 'tile-hash' | 'root-mismatch' | 'previous-checkpoint' | 'rollback'
   * | 'history-rewritten' | 'entry-invalid'
   */
  code: string;
  /** The problem as a message (`audit.*`), shown in the reader's language. */
  text: Message;
  /** The same in English. */
  message: string;
  /** Tile or bundle path concerned, if any. */
  path?: string;
  /** Leaf index concerned, if any. */
  index?: number;
}

export interface AuditReport {
  ok: boolean;
  origin?: string;
  size?: number;
  /** Root in the checkpoint (base64). */
  root?: string;
  /** Root recomputed from the entries (base64). */
  computedRoot?: string;
  entriesChecked: number;
  tilesChecked: number;
  /** Older kept checkpoints checked against the recomputed history. */
  previous: { size: number; ok: boolean }[];
  cosignatures: VerifiedCosignature[];
  problems: AuditProblem[];
  /** True if problems were cut at maxProblems. */
  truncated: boolean;
}

export interface AuditOptions {
  /** The log's trusted verifier keys (both during a rotation). */
  logVerifiers: NoteVerifier[];
  /** Expected origin (recommended). */
  origin?: string;
  /** Older checkpoints the auditor kept (signed notes): their roots must be reproduced. */
  previous?: string[];
  /** Trusted witnesses and required number of cosignatures. */
  witnesses?: NoteVerifier[];
  quorum?: number;
  /** Extra per-entry check (e.g. leaf validation); return a message to report a problem. */
  checkEntry?: (entry: Buffer, index: number) => string | undefined;
  /** Stop collecting after this many problems (default 50). */
  maxProblems?: number;
  /**
   * Hashing threads (node:worker_threads) for the entry bundles. Default: the number of CPUs
   * (at most 8) for logs of 256 tiles or more, else 1 (this thread). `checkEntry` forces 1.
   */
  workers?: number;
  /** Progress: entries processed so far, of total. */
  onProgress?: (done: number, total: number) => void;
}

/** Reads a hash tile or entry bundle of the audited size; may be sync or async. */
export type AuditTileReader = (ref: TileRef) => Uint8Array | Promise<Uint8Array>;

/** A problem: `text` in the reader's language, `message` the same in English. */
function problem(code: string, text: Message, at: { path?: string; index?: number } = {}): AuditProblem {
  return { code, text, message: render(text, 'en'), ...at };
}

/** Why a step failed, as a message parameter: a coded error's own message, else its text as written. */
function why(e: unknown): Message[] {
  if (e instanceof UserError && e.messageCode) return [{ code: e.messageCode, params: e.messageParams }];
  return [msg('stored.text', { text: e instanceof Error ? e.message : String(e) })];
}

class Problems {
  list: AuditProblem[] = [];
  truncated = false;
  constructor(private max: number) {}
  add(p: AuditProblem): void {
    if (this.list.length < this.max) this.list.push(p);
    else this.truncated = true;
  }
}

/** Audit the log described by `checkpointNote`, reading tiles and bundles with `readTile`. */
export async function auditLog(
  checkpointNote: string,
  readTile: AuditTileReader,
  opts: AuditOptions,
): Promise<AuditReport> {
  const problems = new Problems(opts.maxProblems ?? 50);
  const report: AuditReport = {
    ok: false,
    entriesChecked: 0,
    tilesChecked: 0,
    previous: [],
    cosignatures: [],
    problems: problems.list,
    truncated: false,
  };
  const finish = (): AuditReport => {
    report.problems = problems.list;
    report.truncated = problems.truncated;
    report.ok = problems.list.length === 0;
    return report;
  };

  // 1. The checkpoint: signature by a trusted log key, origin, format.
  let cp: Checkpoint;
  try {
    cp = openCheckpoint(checkpointNote, opts.logVerifiers, opts.origin).checkpoint;
  } catch (e) {
    const code = e instanceof LedgerError && e.code.startsWith('note-') ? 'signature' : 'checkpoint';
    problems.add(problem(code, msg('audit.checkpointRejected', { reason: why(e) })));
    return finish();
  }
  report.origin = cp.origin;
  report.size = cp.size;
  report.root = cp.root.toString('base64');
  if ((opts.quorum ?? 0) > 0) {
    try {
      report.cosignatures = verifyCosignatures(checkpointNote, {
        witnesses: opts.witnesses ?? [],
        quorum: opts.quorum,
      });
    } catch (e) {
      problems.add(problem('cosignature', msg('audit.cosignatures', { reason: why(e) })));
    }
  }

  // 2. Kept older checkpoints: verified, same origin, not larger than the audited one.
  const targets = new Map<number, Buffer>();
  for (const [i, note] of (opts.previous ?? []).entries()) {
    let old: Checkpoint;
    try {
      old = parseCheckpoint(openNote(note, opts.logVerifiers).text);
    } catch (e) {
      problems.add(problem('previous-checkpoint', msg('audit.previousRejected', { i, reason: why(e) })));
      continue;
    }
    if (old.origin !== cp.origin) {
      problems.add(
        problem('previous-checkpoint', msg('audit.previousOrigin', { i, origin: JSON.stringify(old.origin) })),
      );
    } else if (old.size > cp.size) {
      problems.add(problem('rollback', msg('audit.rollback', { old: old.size, size: cp.size })));
      report.previous.push({ size: old.size, ok: false });
    } else if (old.size === 0) {
      report.previous.push({ size: 0, ok: true });
    } else if (targets.has(old.size) && !equalBytes(targets.get(old.size)!, old.root)) {
      problems.add(problem('history-rewritten', msg('audit.forked', { size: old.size })));
    } else {
      targets.set(old.size, old.root);
    }
  }

  // 3. Stream bundles and tiles.
  const size = cp.size;
  const frontier = new Frontier();
  const upper = new Map<number, { index: number; data: Uint8Array | null; path: string }>(); // current tile per level >= 1
  let corruptTilesAt0: AuditProblem[] = [];

  const read = async (ref: TileRef): Promise<Uint8Array | null> => {
    const path = tilePath(ref);
    let data: Uint8Array;
    try {
      data = await readTile(ref);
    } catch (e) {
      problems.add(problem('tile-missing', msg('audit.tileUnreadable', { path, reason: why(e) }), { path }));
      return null;
    }
    report.tilesChecked++;
    if (ref.level !== 'entries' && data.length !== ref.width * HASH_SIZE) {
      problems.add(
        problem('tile-size', msg('audit.tileSize', { path, bytes: data.length, expected: ref.width * HASH_SIZE }), {
          path,
        }),
      );
      return null;
    }
    return data;
  };

  // Compare every completed node at a tile level >= 1 with the stored tile hash.
  const upperCheck = async (level: number, index: number, hash: Buffer): Promise<void> => {
    const tl = level / TILE_HEIGHT;
    const tIndex = Math.floor(index / TILE_WIDTH);
    let cur = upper.get(tl);
    if (!cur || cur.index !== tIndex) {
      const ref = { level: tl, index: tIndex, width: tileWidth(tl, tIndex, size) };
      cur = { index: tIndex, data: await read(ref), path: tilePath(ref) };
      upper.set(tl, cur);
    }
    if (!cur.data) return;
    const off = (index % TILE_WIDTH) * HASH_SIZE;
    const stored = cur.data.subarray(off, off + HASH_SIZE);
    if (Buffer.compare(hash, stored) === 0) return;
    // A mismatch below (a changed entry or lower tile) changes every ancestor computed from the
    // entries. Report this tile only if it also disagrees with the stored tile below it.
    const key = `${level}/${index}`;
    if (tainted.has(key)) {
      tainted.delete(key);
      tainted.add(`${level + TILE_HEIGHT}/${Math.floor(index / TILE_WIDTH)}`);
      const below =
        level === TILE_HEIGHT ? currentLevel0 : upper.get(tl - 1)?.index === index ? upper.get(tl - 1)!.data : null;
      if (below && below.length === TILE_WIDTH * HASH_SIZE && Buffer.compare(foldTile(below), stored) === 0) return;
    }
    problems.add(
      problem('tile-hash', msg('audit.tileHash', { path: cur.path, position: index % TILE_WIDTH }), {
        path: cur.path,
        index: index * TILE_WIDTH ** tl,
      }),
    );
  };
  const pending: [number, number, Buffer][] = [];
  const sink = (level: number, index: number, hash: Buffer): void => {
    if (level >= TILE_HEIGHT && level % TILE_HEIGHT === 0) pending.push([level, index, hash]);
  };
  const flush = async (): Promise<void> => {
    while (pending.length) {
      const [l, i, h] = pending.shift()!;
      await upperCheck(l, i, h);
    }
  };

  const tainted = new Set<string>();
  let currentLevel0: Uint8Array | null = null;
  const targetSizes = [...targets.keys()].sort((a, b) => a - b);
  const tileCount = Math.ceil(size / TILE_WIDTH);
  const nWorkers = opts.checkEntry
    ? 1
    : Math.max(1, Math.min(opts.workers ?? (tileCount >= 256 ? defaultWorkers() : 1), 16));
  const pool = nWorkers > 1 ? new HashPool(nWorkers) : null;
  type Job = {
    t: number;
    width: number;
    bundle: Uint8Array | null;
    tile: Uint8Array | null;
    result: Promise<BundleHashes> | BundleHashes | null;
  };
  const queue: Job[] = [];
  let next = 0;
  // Tiles read ahead of the one being folded: enough that the hashing threads and the reader (a COPY
  // stream, a socket) rarely wait on each other. Audits of one 1M-entry PostgreSQL log, 2 hashing
  // threads, with this many in flight: 8: 1.86–2.37 s; 16: 1.74–1.95 s; 32: 1.48–1.79 s; 48: 1.44–1.52 s;
  // 64: 1.39–1.87 s; 128: ~1.9 s (more memory to collect). 48 bundles are at most ~3 MiB.
  const depth = 48;
  try {
    while (next < tileCount || queue.length > 0) {
      // keep the pipeline full: read ahead and hand bundles to the hashers
      while (next < tileCount && queue.length < depth) {
        const t = next++;
        const width = tileWidth(0, t, size);
        const bundle = await read({ level: 'entries', index: t, width });
        const tile = await read({ level: 0, index: t, width });
        const result = bundle ? (pool ? pool.hash(bundle, width) : hashBundle(bundle, width)) : null;
        queue.push({ t, width, bundle, tile, result });
      }
      const job = queue.shift()!;
      const { t, width, tile } = job;
      const start = t * TILE_WIDTH;
      const bPath = tilePath({ level: 'entries', index: t, width });
      const tPath = tilePath({ level: 0, index: t, width });
      currentLevel0 = tile;
      const res = job.result ? await job.result : null;
      if (res?.bad)
        problems.add(
          problem(
            'bundle-format',
            msg('audit.bundleFormat', { path: bPath, reason: [msg('stored.text', { text: res.bad })] }),
            {
              path: bPath,
              index: start + res.badAt,
            },
          ),
        );
      if (opts.checkEntry && job.bundle && res && !res.bad) {
        decodeBundle(job.bundle, width).forEach((e, j) => {
          const bad = opts.checkEntry!(e, start + j);
          if (bad)
            problems.add(
              problem(
                'entry-invalid',
                msg('audit.entryInvalid', { index: start + j, reason: [msg('stored.text', { text: bad })] }),
                {
                  path: bPath,
                  index: start + j,
                },
              ),
            );
        });
      }

      // Leaf hashes from the entries (the ground truth); fall back to the tile if the bundle is unusable.
      let hashes: Uint8Array;
      let tileRoot: Buffer | null = null;
      if (res && !res.bad) {
        hashes = res.hashes!;
        tileRoot = res.root;
        report.entriesChecked += width;
        if (tile) {
          const h = Buffer.from(hashes.buffer, hashes.byteOffset, hashes.length);
          for (let j = 0; j < width; j++) {
            const off = j * HASH_SIZE;
            if (h.compare(tile, off, off + HASH_SIZE, off, off + HASH_SIZE) !== 0) {
              tainted.add(`${TILE_HEIGHT}/${t}`);
              corruptTilesAt0.push(
                problem('leaf-mismatch', msg('audit.leafMismatch', { index: start + j, position: j, path: tPath }), {
                  path: tPath,
                  index: start + j,
                }),
              );
            }
          }
        }
      } else {
        if (!tile) {
          problems.add(problem('root-mismatch', msg('audit.stuck', { path: bPath }), { path: bPath }));
          return finish();
        }
        hashes = tile;
        tileRoot = width === TILE_WIDTH ? foldTile(tile) : null;
      }

      // Fold into the tree: a full tile without a kept-checkpoint boundary inside is appended as
      // one level-8 node (its 255 node hashes were computed with the leaf hashes).
      const boundaryInside = targetSizes.some((x) => x > start && x < start + width);
      if (tileRoot && !boundaryInside) {
        frontier.appendNode(TILE_HEIGHT, tileRoot, sink);
      } else {
        for (let j = 0; j < width; j++) {
          frontier.append(hashes.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE), sink);
          if (targets.has(frontier.size)) checkTarget(frontier.size);
        }
      }
      if (targets.has(frontier.size)) checkTarget(frontier.size);
      await flush();
      if (opts.onProgress) opts.onProgress(frontier.size, size);
    }
  } finally {
    if (pool) await pool.close();
  }

  function checkTarget(s: number): void {
    if (report.previous.some((p) => p.size === s)) return;
    const ok = equalBytes(frontier.root(), targets.get(s)!);
    report.previous.push({ size: s, ok });
    if (!ok) {
      problems.add(problem('history-rewritten', msg('audit.historyRewritten', { size: s }), { index: s - 1 }));
    }
  }

  // 4. The root.
  const computed = frontier.root();
  report.computedRoot = computed.toString('base64');
  const rootOk = equalBytes(computed, cp.root);
  if (!rootOk) {
    problems.add(
      problem('root-mismatch', msg('audit.rootMismatch', { size, computed: report.computedRoot, root: report.root! })),
    );
  }
  // Level-0 mismatches: if the entries reproduce the signed root, the tile is corrupt; otherwise an
  // entry (or the tile) was changed after signing.
  for (const p of corruptTilesAt0) {
    problems.add(
      rootOk
        ? problem(
            'tile-hash',
            msg('audit.tileCorrupt', { path: p.path!, position: p.index! % TILE_WIDTH, index: p.index! }),
            { path: p.path, index: p.index },
          )
        : p,
    );
  }
  corruptTilesAt0 = [];
  return finish();
}

function defaultWorkers(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(n, 8));
}

/** A small pool of hashing workers (node:worker_threads), round-robin, results by job id. */
class HashPool {
  private workers: Worker[] = [];
  private waiting = new Map<number, (r: BundleHashes) => void>();
  private failed = new Map<number, (e: Error) => void>();
  private nextId = 0;

  constructor(n: number) {
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL('./tile-hash.worker.mjs', import.meta.url));
      w.on(
        'message',
        (m: { id: number; bad?: string; badAt?: number; hashes?: Uint8Array; root?: Uint8Array | null }) => {
          const done = this.waiting.get(m.id);
          this.waiting.delete(m.id);
          this.failed.delete(m.id);
          done?.(
            m.bad !== undefined
              ? { bad: m.bad, badAt: m.badAt ?? 0, hashes: null, root: null }
              : {
                  badAt: 0,
                  hashes: Buffer.from(m.hashes!.buffer, m.hashes!.byteOffset, m.hashes!.length),
                  root: m.root ? Buffer.from(m.root.buffer, m.root.byteOffset, m.root.length) : null,
                },
          );
        },
      );
      w.on('error', (e) => {
        for (const f of this.failed.values()) f(e);
        this.failed.clear();
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }

  hash(bundle: Uint8Array, width: number): Promise<BundleHashes> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, resolve);
      this.failed.set(id, reject);
      // Send an exact copy and transfer it: cloning the view would copy its whole underlying buffer,
      // which for a tile read off a socket or a COPY stream is often far larger than the bundle.
      const copy = new Uint8Array(bundle);
      this.workers[id % this.workers.length].postMessage({ id, bundle: copy, width }, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
