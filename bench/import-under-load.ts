/**
 * Alert intake while CSV imports run: the same server and load as bench/review.ts (its own process,
 * SQLite file, the same open-loop load at a fixed mean rate), measured twice for the same length of time: without an
 * import, then with 25,000-row imports running back to back (each file new rows, so every import writes
 * all of them). Prints one JSON object: intake p50/p99/max for both phases, client and server side, and
 * the imports' own rate.
 *   npx tsx bench/import-under-load.ts [rate=200] [seconds=20] [rowsPerImport=25000]
 * Figures before 2026-12-03 18:30 UTC came from autocannon's per-second quotas (bursts of 16 requests in
 * flight, then silence: see bench/open-loop.ts) and are not comparable with those of this open loop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openLoop, type OpenLoopResult } from './open-loop';
import { alertBody, SERVER_NODE_FLAGS, stolenCpuSeconds, writeSyntheticChicagoCsv } from './support';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 20);
const rowsPerImport = Number(process.argv[4] ?? 25_000);
const dir = mkdtempSync(join(tmpdir(), 'cw-bench-import-'));
const files: string[] = [];
for (let i = 0; i < 4; i++) {
  const f = join(dir, `synthetic-${i}.csv`);
  await writeSyntheticChicagoCsv(f, rowsPerImport, 20_000_000 + i * 10_000_000);
  files.push(readFileSync(f, 'utf8'));
}

const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'bench/review-server.ts'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const next = async () => (await lines.next()).value as string;
const server = JSON.parse(await next()) as {
  url: string;
  systemId: string;
  key: string;
  analyst: { cookie: string; csrf: string };
};
const drain = async () => {
  let serverSide: unknown;
  child.stdin!.write('drain\n');
  for (let line = await next(); line !== 'drained'; line = await next())
    if (line.startsWith('{')) serverSide = JSON.parse(line).serverSide;
  return serverSide;
};

let n = 0;
const intake = (duration: number) =>
  openLoop({
    url: `${server.url}/api/systems/${server.systemId}/alerts`,
    rate,
    seconds: duration,
    seed: ++n,
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: (i) => alertBody(`load-${n}-${i}`),
  });
const summary = (r: OpenLoopResult) => r;

await intake(3); // warm-up, not measured
await drain();
const steal0 = stolenCpuSeconds();
const baseline = summary(await intake(seconds));
const baselineServer = await drain();

// Imports back to back for the whole measured window.
let running = true;
const imports: { rows: number; ms: number; status: number }[] = [];
const importer = (async () => {
  for (let i = 0; running; i++) {
    const t0 = performance.now();
    const r = await fetch(`${server.url}/api/imports?profile=chicago&fileName=synthetic.csv`, {
      method: 'POST',
      headers: { cookie: server.analyst.cookie, 'x-csrf-token': server.analyst.csrf, 'content-type': 'text/csv' },
      body: files[i % files.length],
    });
    const body = (await r.json()) as { imported?: number };
    imports.push({ rows: body.imported ?? 0, ms: performance.now() - t0, status: r.status });
    if (i % files.length === files.length - 1) break; // every file once: later rounds would only find duplicates
  }
})();
await new Promise((r) => setTimeout(r, 500)); // the first import is past its upload and parsing
const during = summary(await intake(seconds));
const duringServer = await drain();
running = false;
await importer;
const steal1 = stolenCpuSeconds();
child.stdin!.write('stop\n');
rmSync(dir, { recursive: true, force: true });

const done = imports.filter((i) => i.status === 201);
console.log(
  JSON.stringify(
    {
      bench: 'import-under-load',
      database: 'sqlite',
      load: "open loop: Poisson arrivals at the target rate, latency from each request's scheduled time (bench/open-loop.ts)",
      targetRate: rate,
      seconds,
      rowsPerImport,
      intakeWithoutImport: { ...baseline, serverSide: baselineServer },
      intakeDuringImports: { ...during, serverSide: duringServer },
      imports: {
        completed: done.length,
        failed: imports.length - done.length,
        rowsImported: done.reduce((a, i) => a + i.rows, 0),
        secondsEach: done.map((i) => +(i.ms / 1000).toFixed(2)),
      },
      cpuStolenSeconds: steal0 !== undefined && steal1 !== undefined ? +(steal1 - steal0).toFixed(1) : undefined,
      note: 'imports run back to back from 0.5 s before the measured window; if they finish before it ends, the tail of the window has none (see secondsEach)',
    },
    null,
    2,
  ),
);
