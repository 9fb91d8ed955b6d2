/**
 * Ledger library benchmark (pure, in memory): prints one JSON object.
 *   npx tsx bench/ledger-lib.ts [entries=1000000]
 * - integrate: leaf hashing + tile integration of N entries in batches of 4096 (frontier kept)
 * - buildLeaf: commitment leaves built per second (canonical JSON + salted hash), on a sample
 * - inclusion proofs: generation from tiles (fresh tile reader per proof, as a request would),
 *   without and with a shared TileTreeCache of full tiles' inner hashes
 * - audit: full audit of the N-entry log held in memory as tiles + entry bundles
 * No timing is asserted.
 */
import { auditLog, integrate, newSigner, newVerifier, signCheckpoint, type Frontier } from '../src/ledger';
import { keyPairFromSeed } from '../src/ledger/keys';
import { buildLeaf } from '../src/ledger/leaf';
import { consistencyProof, inclusionProof } from '../src/ledger/merkle';
import { MemoryTiles, TileTreeCache, tileHashReader } from '../src/ledger/tiles';

const N = Number(process.argv[2] ?? 1_000_000);
const BATCH = 4096;
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

// Realistic leaves: canonical JSON commitments of ~230 bytes, pre-built so that only hashing
// and integration are timed (building leaves is timed separately below).
const template = buildLeaf(
  {
    type: 'ai.output',
    time: '2024-01-01T00:00:00.000Z',
    actor: 'system:patrol-forecaster',
    subjects: ['alert:AAAAAAAAAAAAAAAAAAAAAA'],
    payload: {},
  },
  Buffer.alloc(32),
);
const tbytes = template.bytes.toString();
const entries: Buffer[] = new Array(N);
for (let i = 0; i < N; i++)
  entries[i] = Buffer.from(tbytes.replace('AAAAAAAAAAAAAAAAAAAAAA', String(i).padStart(22, '0').replace(/^0/, 'p')));

const key = keyPairFromSeed('bench.example/log', Buffer.alloc(32, 1));
const signer = newSigner(key.signerKey);

// 1. integrate
const tiles = new MemoryTiles();
let frontier: Frontier | undefined;
let size = 0;
let root: Buffer = Buffer.alloc(0);
let t0 = process.hrtime.bigint();
let checkpoints = 0;
let note = '';
for (let at = 0; at < N; at += BATCH) {
  const r = integrate(size, entries.slice(at, Math.min(N, at + BATCH)), tiles.read, frontier);
  tiles.write(r.tiles);
  frontier = r.frontier;
  size = r.newSize;
  root = r.root;
  note = signCheckpoint({ origin: 'bench.example/log', size, root, extensions: [] }, [signer]);
  checkpoints++;
}
const integrateMs = ms(t0);

// 2. buildLeaf on a sample
const SAMPLE = 100_000;
t0 = process.hrtime.bigint();
for (let i = 0; i < SAMPLE; i++)
  buildLeaf({
    type: 'human.decision',
    time: '2024-01-01T00:00:00.000Z',
    actor: 'officer:abcdefghijklmnopqrstuv',
    subjects: ['alert:abcdefghijklmnopqrstuv'],
    payload: { i, decision: 'not-followed', reason: 'no corroboration' },
  });
const buildMs = ms(t0);

// 3. proofs
const PROOFS = 2000;
t0 = process.hrtime.bigint();
for (let k = 0; k < PROOFS; k++) inclusionProof(Math.floor(Math.random() * N), N, tileHashReader(N, tiles.read));
const inclusionMs = ms(t0);
t0 = process.hrtime.bigint();
for (let k = 0; k < PROOFS; k++)
  consistencyProof(1 + Math.floor(Math.random() * (N - 1)), N, tileHashReader(N, tiles.read));
const consistencyMs = ms(t0);
// hot cache: the same 2000 random indices, once to warm the cache, then timed
const treeCache = new TileTreeCache();
const idx = Array.from({ length: PROOFS }, () => Math.floor(Math.random() * N));
for (const i of idx) inclusionProof(i, N, tileHashReader(N, tiles.read, treeCache));
t0 = process.hrtime.bigint();
for (const i of idx) inclusionProof(i, N, tileHashReader(N, tiles.read, treeCache));
const inclusionCachedMs = ms(t0);

// 4. audit
t0 = process.hrtime.bigint();
const report = await auditLog(note, tiles.read, { logVerifiers: [newVerifier(key.verifierKey)] });
const auditMs = ms(t0);

let tileBytes = 0;
for (const v of tiles.files.values()) tileBytes += v.length;

console.log(
  JSON.stringify({
    entries: N,
    entryBytesAvg: Math.round(entries.reduce((a, e) => a + e.length, 0) / N),
    integrate: {
      batch: BATCH,
      ms: Math.round(integrateMs),
      entriesPerSec: Math.round(N / (integrateMs / 1000)),
      checkpointsSigned: checkpoints,
    },
    buildLeaf: { sample: SAMPLE, perSec: Math.round(SAMPLE / (buildMs / 1000)) },
    inclusionProof: {
      proofs: PROOFS,
      usPerProof: Math.round((inclusionMs * 1000) / PROOFS),
      usPerProofHotTileTreeCache: Math.round((inclusionCachedMs * 1000) / PROOFS),
    },
    consistencyProof: { proofs: PROOFS, usPerProof: Math.round((consistencyMs * 1000) / PROOFS) },
    audit: {
      ms: Math.round(auditMs),
      ok: report.ok,
      entriesChecked: report.entriesChecked,
      tilesRead: report.tilesChecked,
    },
    tiles: { files: tiles.files.size, bytes: tileBytes },
    node: process.version,
  }),
);
