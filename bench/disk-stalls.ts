/**
 * What the disk alone allows alert intake during an import: the latency of a durable append (an 8 KiB write
 * and fdatasync every 5 ms, the shape of the log's group commit) on the data directory's disk, alone and while
 * another process writes to the same disk at a fixed rate with an fdatasync every 4 MiB: sequential 1 MiB writes
 * (an appended file) or random 4 KiB pages of a 1 GiB file (the shape of a checkpoint of index pages). No database, no server: only the disk.
 *
 * `stalledShare` is the share of the phase spent inside syncs slower than 20 ms. An alert that arrives during
 * such a stall waits for it whatever the software does (the log acknowledges an alert only once it is on
 * disk), so when `stalledShare` is above 1%, more than 1% of alerts arriving at a steady rate wait over 20 ms and
 * intake's p99 cannot be under 20 ms on this disk while that bulk write runs.
 *   npx tsx bench/disk-stalls.ts [dir=os.tmpdir()] [seconds=10] [rates MB/s=0,20,100,5r,20r]
 * Prints one JSON object, a phase per rate (0 = no bulk writer).
 */
import { spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile } from './open-loop';

const base = process.argv[2] ?? tmpdir();
const seconds = Number(process.argv[3] ?? 10);
// A rate in MB/s, sequential 1 MiB writes; with an `r` (`20r`), random 4 KiB pages instead.
const rates = (process.argv[4] ?? '0,20,100,5r,20r').split(',').map((r) => ({
  mbPerS: Number.parseFloat(r),
  random: r.endsWith('r'),
}));
const SLOW_MS = 20;

// The bulk writer: its own process, as an import's worker would compete for the disk, not for this thread.
const WRITER = `
const fs = require('node:fs');
const [file, mbPerS, ms, random] = process.argv.slice(1).map((v, i) => (i ? Number(v) : v));
const size = random ? 4096 : 1 << 20;
const span = 1 << 30; // random pages land anywhere in a 1 GiB file, as checkpointed index pages do
const chunk = Buffer.alloc(size, 7);
const fd = fs.openSync(file, 'w');
const perSync = (4 << 20) / size;
const t0 = Date.now();
let written = 0;
const tick = () => {
  const due = Math.floor(((Date.now() - t0) / 1000) * mbPerS * ((1 << 20) / size));
  while (written < due) {
    if (random) fs.writeSync(fd, chunk, 0, size, Math.floor(Math.random() * (span / size)) * size);
    else fs.writeSync(fd, chunk);
    written++;
    if (written % perSync === 0) fs.fdatasyncSync(fd);
  }
  if (Date.now() - t0 < ms) setTimeout(tick, 5); else { fs.fdatasyncSync(fd); fs.closeSync(fd); }
};
tick();
`;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function phase(dir: string, { mbPerS, random }: { mbPerS: number; random: boolean }) {
  const writer =
    mbPerS > 0
      ? spawn(
          process.execPath,
          ['-e', WRITER, join(dir, 'bulk.dat'), String(mbPerS), String(seconds * 1000 + 500), random ? '1' : ''],
          {
            stdio: 'inherit',
          },
        )
      : null;
  await sleep(300);
  const fd = openSync(join(dir, 'log.dat'), 'w');
  const page = Buffer.alloc(8192, 1);
  const latencies: number[] = [];
  const t0 = performance.now();
  // O(syncs): one write and one fdatasync every 5 ms for the phase.
  while (performance.now() - t0 < seconds * 1000) {
    writeSync(fd, page);
    const s = performance.now();
    fdatasyncSync(fd);
    latencies.push(performance.now() - s);
    await sleep(5);
  }
  const elapsed = performance.now() - t0;
  closeSync(fd);
  if (writer) await new Promise((r) => writer.once('exit', r));
  rmSync(join(dir, 'bulk.dat'), { force: true });
  rmSync(join(dir, 'log.dat'), { force: true });
  const slow = latencies.filter((l) => l > SLOW_MS);
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    bulkMBPerS: mbPerS,
    bulk: mbPerS === 0 ? 'none' : random ? 'random 4 KiB pages' : 'sequential 1 MiB',
    syncs: latencies.length,
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    over20Ms: slow.length,
    stalledShare: Math.round((slow.reduce((s, l) => s + l, 0) / elapsed) * 10_000) / 10_000,
  };
}

const dir = mkdtempSync(join(base, 'cw-disk-stalls-'));
try {
  const phases = [];
  for (const r of rates) phases.push(await phase(dir, r));
  console.log(JSON.stringify({ dir: base, seconds, slowMs: SLOW_MS, phases }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
