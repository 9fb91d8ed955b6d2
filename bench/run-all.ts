/**
 * Every benchmark, one after another, each in its own process: prints one JSON object keyed by bench.
 *   npm run bench        (takes several minutes; no timing is asserted anywhere)
 */
import { execFileSync } from 'node:child_process';

const BENCHES: [string, string[]][] = [
  ['ingest', []],
  ['ledger-lib', []],
  ['ledger', []],
  ['review', []],
  ['urgent-push', []],
  ['forecast', []],
  ['fairness', []],
];
const results: Record<string, unknown> = {};
for (const [name, args] of BENCHES) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  // Each bench prints one JSON object last (some print progress lines before it).
  const start = out.lastIndexOf('\n{') + 1;
  results[name] = JSON.parse(out.slice(start));
  process.stderr.write(`${name} done\n`);
}
console.log(JSON.stringify(results, null, 2));
