/**
 * Where PostgreSQL spends a durable append (issue 20 item 4): runs `entries` appends as bench/ledger.ts does on a
 * throwaway durable cluster with pg_stat_statements, then prints WAL bytes and full-page images per entry
 * (pg_stat_wal), WAL write/sync time, checkpoints, the statements by total time and the bytes per entry of each
 * table and index written.   npx tsx bench/ledger-pg-profile.ts [entries=200000]
 * CW_PG_SETTINGS='name=value,…' passes more server settings (e.g. max_wal_size=4GB,wal_compression=lz4).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { Ledger } from '../src/ledger-service/ledger';
import { loadOrCreateLogKeys } from '../src/ledger-service/log-keys';
import { migrate, openStore } from '../src/store/db';
import { startCluster } from '../test/support/postgres';
import { asServerRuns } from './support';

asServerRuns();

const N = Number(process.argv[2] ?? 200_000);
const extra = Object.fromEntries(
  (process.env.CW_PG_SETTINGS ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('=') as [string, string]),
);
const dir = mkdtempSync(join(tmpdir(), 'cw-bench-pgprof-'));
const keys = loadOrCreateLogKeys(join(dir, 'keys'), 'bench.counterweight/log');
const payload = { data: 'p'.repeat(512 - 11) };
const cluster = await startCluster({
  durable: true,
  settings: {
    shared_preload_libraries: 'pg_stat_statements',
    track_wal_io_timing: 'on',
    track_io_timing: 'on',
    ...extra,
  },
});
try {
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const url = cluster.adminUrl.replace(/\/postgres$/, '/bench');
  const store = openStore({ databaseUrl: url });
  await migrate(store);
  await sql`CREATE EXTENSION pg_stat_statements`.execute(store.db);
  const q = async <T>(text: string) => (await sql.raw<T>(text).execute(store.db)).rows;
  const settings = await q<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers','max_wal_size','checkpoint_timeout','wal_compression','wal_buffers','full_page_writes','fsync','synchronous_commit','wal_level','commit_delay')`,
  );
  await q(`SELECT pg_stat_statements_reset(), pg_stat_reset_shared('wal'), pg_stat_reset_shared('bgwriter')`);
  // CPU seconds of the cluster's processes (backends, WAL writer, checkpointer, …) from /proc, by pid.
  const pgCpu = async () => {
    const pids = await q<{ pid: number }>('SELECT pid FROM pg_stat_activity');
    const by = new Map<number, number>();
    for (const { pid } of pids)
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        by.set(pid, (Number(f[11]) + Number(f[12])) / 100);
      } catch {
        /* gone */
      }
    return by;
  };
  const ledgerOpts = { maxBatch: 8192, maxDelayMs: 5 };
  // The writer's connection exists once the first batch committed: one small batch first.
  const warm = new Ledger(store, keys, ledgerOpts);
  await warm.append({ type: 'ai.output', actor: 'system:bench-vendor', subjects: ['alert:bench-alert-1'], payload });
  const lsn0 = (await q<{ l: string }>('SELECT pg_current_wal_lsn()::text AS l'))[0].l;
  const ledger = warm;
  const cpu0 = await pgCpu();
  const node0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const outstanding: Promise<unknown>[] = [];
  for (let started = 0; started < N;) {
    const k = Math.min(8192, N - started);
    outstanding.push(
      Promise.all(
        Array.from({ length: k }, () =>
          ledger.append({
            type: 'ai.output',
            actor: 'system:bench-vendor',
            subjects: ['alert:bench-alert-1'],
            payload,
          }),
        ),
      ),
    );
    started += k;
    if (outstanding.length >= 4) await outstanding.shift();
  }
  await Promise.all(outstanding);
  const secs = (performance.now() - t0) / 1000;
  const nodeCpu = process.cpuUsage(node0);
  const mainThreadBusyMs = performance.eventLoopUtilization(elu0).active;
  const cpu1 = await pgCpu();
  let pgSecs = 0;
  for (const [pid, s1] of cpu1) pgSecs += s1 - (cpu0.get(pid) ?? 0);
  const walBytes = Number(
    (await q<{ b: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '${lsn0}')::text AS b`))[0].b,
  );
  const wal = (await q<Record<string, unknown>>('SELECT * FROM pg_stat_wal'))[0];
  const bgw = (
    await q<Record<string, unknown>>(
      'SELECT checkpoints_timed, checkpoints_req, checkpoint_write_time, checkpoint_sync_time, buffers_checkpoint, buffers_clean, buffers_backend, buffers_backend_fsync FROM pg_stat_bgwriter',
    )
  )[0];
  const statements = await q<Record<string, unknown>>(
    `SELECT round(total_exec_time) AS ms, calls, round((total_exec_time / calls)::numeric, 1) AS ms_per_call, wal_bytes, wal_fpi, shared_blks_written, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`,
  );
  const sizes = await q<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname LIKE 'ledger%' AND c.relkind IN ('r','i')`,
  );
  await store.close();
  console.log(
    JSON.stringify(
      {
        entries: N,
        seconds: +secs.toFixed(2),
        appendsPerSecond: Math.round(N / secs),
        mainThreadBusyMicrosPerEntry: +((mainThreadBusyMs * 1000) / N).toFixed(1),
        nodeCpuMicrosPerEntry: +((nodeCpu.user + nodeCpu.system) / N).toFixed(1),
        postgresCpuMicrosPerEntry: +((pgSecs * 1e6) / N).toFixed(1),
        walBytesPerEntry: Math.round(walBytes / N),
        walFpiPerEntry: +(Number(wal.wal_fpi) / N).toFixed(3),
        wal,
        bgwriter: bgw,
        settings: Object.fromEntries(settings.map((s) => [s.name, `${s.setting}${s.unit ?? ''}`])),
        bytesPerEntry: Object.fromEntries(sizes.map((s) => [s.name, +(Number(s.bytes) / N).toFixed(1)])),
        statements,
      },
      null,
      2,
    ),
  );
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
