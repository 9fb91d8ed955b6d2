/**
 * Ledger service benchmark, on SQLite and PostgreSQL: sustained durable appends/s with 512-byte
 * payloads, inclusion proof generation time, and a full audit of the stored log from its tiles.
 * Prints one JSON object.   npx tsx bench/ledger.ts [entries=1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLog } from '../src/ledger/audit';
import { newVerifier } from '../src/ledger/keys';
import { latestCheckpoint, Ledger, proveInclusion, sequentialTileReader } from '../src/ledger-service/ledger';
import { loadOrCreateLogKeys } from '../src/ledger-service/log-keys';
import { migrate, openStore, type Store } from '../src/store/db';
import { onThrowawayPostgres } from './support';

const N = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'cw-bench-ledger-'));
const keys = loadOrCreateLogKeys(join(dir, 'keys'), 'bench.counterweight/log');
const payload = { data: 'p'.repeat(512 - 11) }; // 512 bytes of canonical JSON

async function run(store: Store) {
  await migrate(store);
  const ledger = new Ledger(store, keys, { maxBatch: 8192, maxDelayMs: 5 });
  const t0 = performance.now();
  const inFlight = 32_768;
  for (let done = 0; done < N; ) {
    const k = Math.min(inFlight, N - done);
    await Promise.all(Array.from({ length: k }, () => ledger.append({ type: 'ai.output', actor: 'system:bench-vendor', subjects: ['alert:bench-alert-1'], payload })));
    done += k;
  }
  const appendSecs = (performance.now() - t0) / 1000;
  const cp = (await latestCheckpoint(store.db))!;
  const t1 = performance.now();
  const samples = 200;
  for (let i = 0; i < samples; i++) await proveInclusion(store.db, Math.floor((i * 7919) % cp.size), cp.size);
  const proofMs = (performance.now() - t1) / samples;
  // Audit reads every tile from the database (as a verifier reading /log/ would), re-hashes everything.
  const t2 = performance.now();
  const read = sequentialTileReader(store.db);
  const report = await auditLog(cp.note, async (ref) => (await read(ref))!, { logVerifiers: keys.verifierKeys.map(newVerifier) });
  const auditSecs = (performance.now() - t2) / 1000;
  await store.close();
  return {
    entries: cp.size, appendSeconds: +appendSecs.toFixed(2), durableAppendsPerSecond: Math.round(N / appendSecs),
    inclusionProofMs: +proofMs.toFixed(3), fullAuditSeconds: +auditSecs.toFixed(2), auditOk: report.ok,
  };
}

const sqlite = await run(openStore({ sqliteFile: join(dir, 'ledger.db') }));
let postgres;
try {
  postgres = await onThrowawayPostgres((store) => run(store));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(JSON.stringify({ bench: 'ledger', entries: N, payloadBytes: 512, sqlite, postgres, note: 'SQLite WAL synchronous=FULL (fsync per batch); PostgreSQL throwaway cluster with fsync=off' }, null, 2));
