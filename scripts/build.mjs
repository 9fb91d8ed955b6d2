// Compiles the `counterweight` command to JavaScript in dist/ (esbuild, source maps on), so `npm start` and
// bin/counterweight.js run without a TypeScript loader. One bundle per thread entry: the command itself and
// each worker thread, all in dist/cli/ under the file names the code opens them by (`new URL('./x.mjs',
// import.meta.url)` resolves next to the bundle that asks). npm packages stay external (node_modules).
// Run by `npm run build`, `npm start` (prestart), `npm ci`/`npm install` (prepare) and bin/counterweight.js
// when dist/ is missing or older than src/.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(root, 'dist');
export const STAMP = join(DIST, '.built');

/** Bundle name in dist/cli/ → its source. The names are those the code passes to new URL(...). */
const ENTRIES = {
  main: 'src/cli/main.ts',
  'sqlite-writer.boot': 'src/store/log/sqlite-writer.worker.ts',
  'sqlite-checkpointer.worker': 'src/store/log/sqlite-checkpointer.worker.mjs',
  'import-worker.boot': 'src/store/import.worker.ts',
  'audit-worker.boot': 'src/monitor/audit.worker.ts',
  'stress-worker.boot': 'src/monitor/stress.worker.ts',
  'plan-worker.boot': 'src/forecast-service/plan.worker.ts',
  'forecast-worker.boot': 'src/forecast-service/forecast.worker.ts',
  'tile-hash.worker': 'src/ledger/tile-hash.worker.mjs',
  'cluster-index-worker.boot': 'src/maps/cluster-index.worker.ts',
  'read-worker.boot': 'src/store/read.worker.ts',
};

/** Newest modification time under src/ (ms). O(files). */
export function newestSource(dir = join(root, 'src')) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

/** Whether dist/ holds a build at least as new as every source file (and package.json). */
export function isFresh() {
  return (
    existsSync(STAMP) &&
    statSync(STAMP).mtimeMs >= Math.max(newestSource(), statSync(join(root, 'package.json')).mtimeMs)
  );
}

export async function build() {
  const { build: esbuild } = await import('esbuild');
  rmSync(join(DIST, 'cli'), { recursive: true, force: true });
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: Object.entries(ENTRIES).map(([out, src]) => ({ in: src, out: `cli/${out}` })),
    outdir: DIST,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    // Each command's module (loaded by import() in src/cli/main.ts) and its npm packages become a chunk
    // of their own, loaded only when that command runs. Chunks sit beside the bundles so the workers'
    // new URL('./x.mjs', import.meta.url) still resolve.
    splitting: true,
    chunkNames: 'cli/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  // Every thread a bundle starts must exist beside it: a renamed worker would otherwise fail only at run time.
  for (const out of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs'))) {
    const text = readFileSync(join(root, out), 'utf8');
    for (const m of text.matchAll(/new URL\(\s*["']\.\/([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g)) {
      if (!existsSync(join(dirname(join(root, out)), m[1])))
        throw new Error(
          `${out} starts ./${m[1]}, which the build did not produce: add it to ENTRIES in scripts/build.mjs`,
        );
    }
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build();
}
