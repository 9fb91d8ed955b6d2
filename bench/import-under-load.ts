/**
 * Alert intake while CSV imports run: the same server and load as bench/review.ts (its own process,
 * SQLite file, the same open-loop load at a fixed mean rate), measured twice for the same length of time: without an
 * import, then with 25,000-row imports running back to back for the whole window (each file new rows, so
 * every import writes all of them). Prints one JSON object: intake p50/p99/max for both phases, client and
 * server side, the client side again for only the requests sent while an import was in flight
 * (`whileImporting`, with the share of the window imports covered), and the imports' own rate.
 *   npx tsx bench/import-under-load.ts [rate=200] [seconds=20] [rowsPerImport=25000]
 * 2026-12-05, quiet machine (load 1.3), `200 20`: without imports server p99 12.8 ms (client 19.2); with 13
 * imports of 25,000 rows covering the whole window, server p99 71.4 ms (client 89.6; event-loop delay p99
 * 5.4 ms, so the time is spent waiting for the database, not on a busy serving thread). Until then the imports
 * stopped after four files, ~7 s of the 20 s window, and the figures (server p99 28.7 ms on 2026-12-05,
 * 25–63 ms before) were diluted by the import-free rest of it.
 * Figures before 2026-12-03 18:30 UTC came from autocannon's per-second quotas (bursts of 16 requests in
 * flight, then silence: see bench/open-loop.ts) and are not comparable with those of this open loop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openLoop, quantile, type OpenLoopResult } from './open-loop';
import { alertBody, SERVER_NODE_FLAGS, stolenCpuSeconds, writeSyntheticChicagoCsv } from './support';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 20);
const rowsPerImport = Number(process.argv[4] ?? 25_000);
const dir = mkdtempSync(join(tmpdir(), 'cw-bench-import-'));
const files: string[] = [];
// Enough files for imports back to back through the window (one takes 1–2.5 s here), each with ids of its own.
for (let i = 0; i < Math.max(4, Math.ceil(seconds) + 4); i++) {
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
/** Every answered request of the current phase: when it was scheduled and how long it took (client side). */
let answered: { at: number; ms: number }[] = [];
const intake = (duration: number) =>
  openLoop({
    onResponse: (_i, _status, _body, at) => answered.push({ at, ms: performance.now() - at }),
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
const imports: { rows: number; ms: number; status: number; from: number; to: number }[] = [];
const importer = (async () => {
  for (let i = 0; running; i++) {
    const t0 = performance.now();
    const r = await fetch(`${server.url}/api/imports?profile=chicago&fileName=synthetic.csv`, {
      method: 'POST',
      headers: { cookie: server.analyst.cookie, 'x-csrf-token': server.analyst.csrf, 'content-type': 'text/csv' },
      body: files[i % files.length],
    });
    const body = (await r.json()) as { imported?: number };
    const t1 = performance.now();
    imports.push({ rows: body.imported ?? 0, ms: t1 - t0, status: r.status, from: t0, to: t1 });
    if (i === files.length - 1) break; // every file once: later rounds would only find duplicates
  }
})();
await new Promise((r) => setTimeout(r, 500)); // the first import is past its upload and parsing
answered = [];
const windowFrom = performance.now();
const during = summary(await intake(seconds));
const windowTo = performance.now();
const duringAnswered = answered;
const duringServer = await drain();
running = false;
await importer;
const steal1 = stolenCpuSeconds();
child.stdin!.write('stop\n');
rmSync(dir, { recursive: true, force: true });

const done = imports.filter((i) => i.status === 201);
// Requests sent while an import was in flight (its upload sent, its answer not yet back). O(requests + imports): both in time order.
const inFlight: number[] = [];
let k = 0;
for (const r of duringAnswered.sort((a, b) => a.at - b.at)) {
  while (k < imports.length && imports[k].to < r.at) k++;
  if (k < imports.length && imports[k].from <= r.at) inFlight.push(r.ms);
}
inFlight.sort((a, b) => a - b);
const covered = imports.reduce((a, i) => a + Math.max(0, Math.min(i.to, windowTo) - Math.max(i.from, windowFrom)), 0);
const r1 = (x: number) => Math.round(x * 10) / 10;
const whileImporting = {
  requests: inFlight.length,
  p50ms: r1(quantile(inFlight, 0.5)),
  p99ms: r1(quantile(inFlight, 0.99)),
  maxMs: r1(inFlight.at(-1) ?? 0),
  windowCoveredByImports: +(covered / (windowTo - windowFrom)).toFixed(2),
};
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
      intakeDuringImports: { ...during, serverSide: duringServer, whileImporting },
      imports: {
        completed: done.length,
        failed: imports.length - done.length,
        rowsImported: done.reduce((a, i) => a + i.rows, 0),
        secondsEach: done.map((i) => +(i.ms / 1000).toFixed(2)),
      },
      cpuStolenSeconds: steal0 !== undefined && steal1 !== undefined ? +(steal1 - steal0).toFixed(1) : undefined,
      note: 'imports run back to back from 0.5 s before the measured window to its end; whileImporting counts only requests sent while one was in flight (client side)',
    },
    null,
    2,
  ),
);
