import { createWriteStream, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { openStore, type Store } from '../src/store/db';
import { startCluster } from '../test/support/postgres';
import { probeAlertBody } from '../test/support/intake-probe';

/**
 * Run `fn` on a fresh database in a throwaway PostgreSQL cluster, then stop the cluster. Fsync off unless
 * `durable` (fsync and synchronous commit on, as a production server runs).
 */
export async function onThrowawayPostgres<T>(
  fn: (store: Store) => Promise<T>,
  opts: { durable?: boolean } = {},
): Promise<T> {
  const cluster = await startCluster(opts);
  try {
    const c = new pg.Client({ connectionString: cluster.adminUrl });
    await c.connect();
    await c.query('CREATE DATABASE bench');
    await c.end();
    return await fn(openStore({ databaseUrl: cluster.adminUrl.replace(/\/postgres$/, '/bench') }));
  } finally {
    cluster.stop();
  }
}

/** The alert the intake benches post (bench/review-server.ts's system accepts it), under idempotency key `key`: the one the availability tests probe intake with. */
export const alertBody = probeAlertBody;

/**
 * The Node flags `npm start` runs the server with (package.json): a 64 MiB young generation, so the
 * objects of a batch in flight are not copied by every scavenge (about 10% more log appends/s).
 */
export const SERVER_NODE_FLAGS = [
  '--max-semi-space-size=64',
  ...(process.env.CW_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CW_BENCH_PROFILE}`] : []),
];

/** Re-run this bench under SERVER_NODE_FLAGS unless it already runs under them; returns only in that case. */
export function asServerRuns(): void {
  const has = (f: string) => process.execArgv.includes(f) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(f);
  if (SERVER_NODE_FLAGS.every(has)) return;
  const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

/**
 * CPU time the hypervisor took from this VM ("steal", all CPUs, seconds) so far, from /proc/stat; undefined
 * off Linux. Printed beside timings: on a shared VM, a run with much steal is slower for reasons no code controls.
 */
export function stolenCpuSeconds(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return Number(cpu[8]) / 100; // user nice system idle iowait irq softirq steal, in USER_HZ (100/s)
  } catch {
    return undefined;
  }
}

const TYPES = [
  'THEFT',
  'BATTERY',
  'CRIMINAL DAMAGE',
  'ASSAULT',
  'NARCOTICS',
  'BURGLARY',
  'ROBBERY',
  'MOTOR VEHICLE THEFT',
];

/**
 * `n` synthetic rows shaped like the Chicago export (chicago profile), ids from `firstId` on (distinct files: distinct rows).
 * Times are uniformly random over 2018 in file order (the hard case for the time index), or with `timeOrdered`
 * increasing with the id through the year, as a portal export sorted by date is.
 */
export async function writeSyntheticChicagoCsv(
  file: string,
  n: number,
  firstId = 10_000_000,
  timeOrdered = false,
): Promise<void> {
  const out = createWriteStream(file);
  out.write(
    '"id","case_number","date","block","iucr","primary_type","description","location_description","arrest","domestic","beat","district","ward","community_area","fbi_code","x_coordinate","y_coordinate","year","updated_on","latitude","longitude","location"\n',
  );
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n; i++) {
    const lat = 41.65 + rnd() * 0.35;
    const lon = -87.85 + rnd() * 0.3;
    const at = timeOrdered ? new Date(Date.UTC(2018, 0, 1) + Math.floor((i / n) * 365 * 1440) * 60_000) : undefined;
    const date = at
      ? `${at.getUTCMonth() + 1}/${at.getUTCDate()}/2018 ${at.getUTCHours()}:${String(at.getUTCMinutes()).padStart(2, '0')}`
      : `${1 + Math.floor(rnd() * 12)}/${1 + Math.floor(rnd() * 28)}/2018 ${Math.floor(rnd() * 24)}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}`;
    const line = `${firstId + i},"JA${i}","${date}","024XX W SOME ST","0820","${TYPES[i % TYPES.length]}","$500 AND UNDER","STREET",FALSE,FALSE,832,8,15,66,"6",1161120,1858829,2018,"2/10/2019 15:50",${lat.toFixed(8)},${lon.toFixed(8)},"(${lat.toFixed(6)}, ${lon.toFixed(6)})"\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}
