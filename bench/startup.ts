/**
 * Start-up time and peak memory of the `counterweight` command, run through tsx (TypeScript compiled at
 * every launch, as before issue 20) and from the compiled build in dist/ (what `npm start` and the
 * installed command run now). Prints JSON: for each command and mode, the median wall time and median
 * peak RSS (GNU time's maximum resident set) of `runs` runs, interleaved so load on the machine hits both.
 *
 *   npx tsx bench/startup.ts [runs=5]
 *
 * Commands: `--help`; `forecast` (a small real forecast: the bundled Chicago demo sample, counts model,
 * one week); `serve` (time until the first /healthz answer, on an SQLite file that already holds the
 * demo, so no first-start work is measured; peak RSS read from /proc at that moment).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../scripts/build.mjs';

const runs = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'cw-bench-startup-'));
const env = {
  ...process.env,
  CW_SQLITE_FILE: join(dir, 'cw.db'),
  CW_KEYS_DIR: join(dir, 'keys'),
  DATABASE_URL: '',
  NODE_OPTIONS: '',
  CW_ADMIN_PASSWORD: 'a-long-bench-password-1',
};
const MODES = {
  tsx: ['--import', 'tsx', 'src/cli/main.ts'],
  dist: ['--enable-source-maps', 'dist/cli/main.mjs'],
} as const;
type Mode = keyof typeof MODES;

const FORECAST = [
  'forecast',
  '--incidents',
  'demo/chicago/chicago_crimes_sample_2017_2019.csv',
  '--profile',
  'chicago',
  '--boundary',
  'demo/chicago/chicago_community_areas.geojson',
  '--as-of',
  '2019-06-01',
  '--window',
  '7d',
  '--cell',
  '500m',
  '--hotspot-area',
  '2sqkm',
  '--max-area',
  '6sqkm',
  '--model',
  'counts',
  '--out',
  join(dir, 'fc.geojson'),
];

/** One run of a command to completion under GNU time: wall seconds and peak RSS in MiB. */
function timed(mode: Mode, args: string[]): { seconds: number; rssMiB: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...MODES[mode], ...args], {
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${mode} ${args[0]} failed: ${r.stderr}`);
  const [s, kb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds: s, rssMiB: kb / 1024 };
}

/** Start `serve` and time the first 200 from /healthz; peak RSS (VmHWM) of the process at that moment. */
async function serveOnce(mode: Mode): Promise<{ seconds: number; rssMiB: number }> {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...MODES[mode], 'serve', '--port', String(port), '--no-demo'], {
    env,
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve (${mode}) exited ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))!;
    return { seconds, rssMiB: Number(hwm[1]) / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await build();
// One first start (demo load, admin, log key) before measuring, and the source the forecast reads.
execFileSync(process.execPath, [...MODES.dist, 'source', 'add', 'config/sources/chicago-data-portal.json'], {
  env,
  stdio: 'ignore',
});
await serveOnce('dist');

const results: Record<string, Record<Mode, { medianSeconds: number; medianPeakRssMiB: number; runs: number }>> = {};
const commands: Record<string, (m: Mode) => Promise<{ seconds: number; rssMiB: number }>> = {
  help: async (m) => timed(m, ['--help']),
  forecast: async (m) => timed(m, FORECAST),
  serve: serveOnce,
};
try {
  for (const [name, run] of Object.entries(commands)) {
    const samples: Record<Mode, { seconds: number; rssMiB: number }[]> = { tsx: [], dist: [] };
    for (let i = 0; i < runs; i++)
      for (const m of (i % 2 ? ['dist', 'tsx'] : ['tsx', 'dist']) as Mode[]) samples[m].push(await run(m));
    results[name] = Object.fromEntries(
      (['tsx', 'dist'] as Mode[]).map((m) => [
        m,
        {
          medianSeconds: Number(median(samples[m].map((x) => x.seconds)).toFixed(3)),
          medianPeakRssMiB: Number(median(samples[m].map((x) => x.rssMiB)).toFixed(1)),
          runs,
        },
      ]),
    ) as Record<Mode, { medianSeconds: number; medianPeakRssMiB: number; runs: number }>;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `${JSON.stringify({ bench: 'startup', node: process.version, cpus: (await import('node:os')).cpus().length, results }, null, 2)}\n`,
);
