/**
 * The architecture as the design draws it, checked on the source: no import circles anywhere in src/,
 * route files never touch the query builder (SQL lives in services and src/store), and the pure
 * libraries are reached only through their index.ts (library-surfaces.test.ts pins what each exports).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('src');
/** The pure libraries: code outside one imports it only through its index.ts. */
export const LIBRARIES = ['ledger', 'geo', 'forecast', 'fairness'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

// Static imports and re-exports, type-only ones included: a circle of types is still a circle to read.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;

function importsOf(file: string): { relative: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const rel: string[] = [];
  const pkgs: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1];
    if (!spec.startsWith('.')) {
      pkgs.push(spec);
      continue;
    }
    const base = resolve(dirname(file), spec);
    const hit = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find(
      (c) => existsSync(c) && statSync(c).isFile(),
    );
    if (hit) rel.push(hit);
  }
  return { relative: rel, packages: pkgs };
}

/** Strongly connected components with more than one file (Tarjan, O(files + imports)). */
export function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('the import graph', () => {
  const files = sourceFiles(ROOT);
  const graph = new Map(files.map((f) => [f, importsOf(f).relative]));

  it('finds a circle when there is one (the check itself)', () => {
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import circles in src/', () => {
    const found = circles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(' ↔ '));
    expect(found).toEqual([]);
  });

  it('no route file imports the query builder or writes SQL: routes hand work to services', () => {
    const routes = files.filter((f) => f.includes(`${join('server', 'routes')}`));
    expect(routes.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const f of routes) {
      const text = readFileSync(f, 'utf8');
      if (importsOf(f).packages.some((p) => p === 'kysely' || p.startsWith('kysely/')))
        offenders.push(`${relative(ROOT, f)}: imports kysely`);
      for (const m of text.matchAll(/\.(selectFrom|insertInto|updateTable|deleteFrom|transaction)\(|\bsql`/g))
        offenders.push(`${relative(ROOT, f)}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  // Issue 21 item 2: routes are handed services (src/server/services.ts), not the store. The modules of
  // src/store a route may import are the in-memory progress registries (imports, forecast/backtest runs): no database handle.
  const storeUse = (rel: string, text: string) => [
    ...[...text.matchAll(IMPORT)]
      .map((m) => m[1])
      .filter((spec) => /(^|\/)store(\/|$)/.test(spec) && !/store\/(import|run)-jobs$/.test(spec))
      .map((spec) => `${rel}: imports ${spec}`),
    ...[...text.matchAll(/(?<![\w.'"/-])store(?:\.db)?\b(?![\w'"/-])/g)].map((m) => `${rel}: names ${m[0]}`),
  ];

  it('the store check finds a route that imports src/store or reaches for the store', () => {
    const bad = `import { getSetting } from '../../store/settings';\nexport const r = (app, { store }) => getSetting(store.db, 'x');`;
    expect(storeUse('routes/bad.ts', bad)).toEqual([
      'routes/bad.ts: imports ../../store/settings',
      'routes/bad.ts: names store',
      'routes/bad.ts: names store.db',
    ]);
    expect(
      storeUse('routes/ok.ts', `reply.header('cache-control', 'no-store'); services.settings.getSetting('x');`),
    ).toEqual([]);
  });

  it('no route file imports src/store or names the store: routes are handed services', () => {
    const routes = files.filter((f) => f.includes(`${join('server', 'routes')}`));
    expect(routes.flatMap((f) => storeUse(relative(ROOT, f), readFileSync(f, 'utf8')))).toEqual([]);
  });

  // Issue 21 item 3: each database is a log writer and reader behind one interface (src/store/log/storage.ts),
  // chosen when the store opens; services never branch on the database or reach for its driver. Backups
  // (src/ops/backup.ts) are per database by nature: SQLite's online backup API, pg_dump.
  it('outside src/store only the backup reaches a database driver or branches on which database it is', () => {
    const offenders: string[] = [];
    for (const f of files) {
      const rel = relative(ROOT, f);
      if (rel.startsWith(`store${'/'}`) || rel === join('ops', 'backup.ts')) continue;
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\.(?:sqlite|pg)\b!?\s*[.(]|\bdialect\s*[!=]==|\bstore\.(?:sqlite|pg)\b/g))
        offenders.push(`${rel}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('code outside a library imports it only through its index.ts, never a deep path', () => {
    const web = resolve('web/src');
    const outside = [...files, ...(existsSync(web) ? sourceFiles(web) : [])];
    const offenders = outside.flatMap((f) =>
      importsOf(f)
        .relative.filter((t) => isDeepLibraryImport(f, t))
        .map((t) => `${relative(resolve('.'), f)} → ${relative(resolve('.'), t)}`),
    );
    expect(offenders).toEqual([]);
  });

  it('finds a deep import when there is one (the check itself)', () => {
    const at = (...p: string[]) => join(ROOT, ...p);
    expect(isDeepLibraryImport(at('monitor', 'checks.ts'), at('fairness', 'stats.ts'))).toBe(true);
    expect(isDeepLibraryImport(resolve('web/src/pages/X.tsx'), at('ledger', 'leaf.ts'))).toBe(true);
    expect(isDeepLibraryImport(at('monitor', 'checks.ts'), at('fairness', 'index.ts'))).toBe(false);
    expect(isDeepLibraryImport(at('fairness', 'report.ts'), at('fairness', 'stats.ts'))).toBe(false);
    expect(isDeepLibraryImport(at('forecast', 'models', 'kde.ts'), at('geo', 'grid.ts'))).toBe(true);
    expect(isDeepLibraryImport(at('forecast-service', 'missions.ts'), at('forecast', 'plan.ts'))).toBe(true);
    expect(isDeepLibraryImport(at('store', 'areas.ts'), at('store', 'db.ts'))).toBe(false);
  });
});

/** Whether `from` reaches past a library's index.ts into one of its files, from outside that library. */
function isDeepLibraryImport(from: string, target: string): boolean {
  const [lib, ...rest] = relative(ROOT, target).split(sep);
  if (!LIBRARIES.includes(lib) || rest.join('/') === 'index.ts') return false;
  const own = relative(ROOT, from).split(sep)[0];
  return own !== lib;
}
