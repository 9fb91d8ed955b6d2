import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const nodeMajor = Number(process.versions.node.split('.')[0]);
const sqliteMajor = Number(
  (createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string }).version.split('.')[0],
);

describe('supported runtimes and the compiled command', () => {
  it('engines names the LTS lines 22 and 24, not the end-of-life 20', () => {
    expect(pkg.engines.node).toMatch(/\^22\./);
    expect(pkg.engines.node).toMatch(/24/);
    expect(pkg.engines.node).not.toMatch(/>=\s*20|\^20/);
  });

  it('npm start and npm run cli run the compiled build, not tsx', () => {
    expect(pkg.scripts.start).toContain('dist/cli/main.mjs');
    expect(pkg.scripts.start).not.toContain('tsx');
    expect(pkg.scripts.cli).not.toContain('tsx');
    expect(pkg.scripts.prestart).toContain('npm run --silent build');
  });

  // better-sqlite3 12.x builds on node::ObjectWrap, whose destructor on Node >= 24.19 aborts the process when
  // a statement is collected outside a context (RemoveEnvironmentCleanupHook: env != nullptr). 13.x is Node-API.
  it.runIf(nodeMajor >= 24)('on Node 24 the SQLite driver is better-sqlite3 13 or newer (Node-API)', () => {
    expect(sqliteMajor).toBeGreaterThanOrEqual(13);
  });
});
