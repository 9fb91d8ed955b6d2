import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshPostgresUrl } from '../support/stores';

// The installed command runs the compiled bundles in dist/ with no TypeScript loader: the command itself
// and every thread it starts (the log's writer and checkpointer, import threads, audit hashing threads).
const run = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/counterweight.js', ...args], {
      env: { ...process.env, ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

describe('the compiled build (dist/)', () => {
  beforeAll(async () => {
    // Built by the global setup from the current sources; building again here would replace dist/ under
    // the other test files running the command at the same time.
    const { build, isFresh } = await import('../../scripts/build.mjs');
    if (!isFresh()) await build();
  }, 120_000);

  it('holds one bundle per thread entry, with source maps, and no TypeScript loader', () => {
    for (const f of [
      'main',
      'sqlite-writer.boot',
      'sqlite-checkpointer.worker',
      'import-worker.boot',
      'audit-worker.boot',
      'plan-worker.boot',
      'stress-worker.boot',
      'forecast-worker.boot',
      'cluster-index-worker.boot',
      'read-worker.boot',
      'tile-hash.worker',
    ]) {
      const js = readFileSync(join('dist', 'cli', `${f}.mjs`), 'utf8');
      expect(js, f).toContain(`//# sourceMappingURL=${f}.mjs.map`);
      expect(js, f).not.toMatch(/from ["']tsx|tsx\/esm/);
      expect(existsSync(join('dist', 'cli', `${f}.mjs.map`))).toBe(true);
    }
    expect(readFileSync('bin/counterweight.js', 'utf8')).not.toContain('tsx');
  });

  it("loads only the running command's npm packages: a forecast does not load the web server, metrics or password checker", async () => {
    const probe = `
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(process.cwd() + '/x.js').cache)
        .map((k) => k.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)/)?.[1]).filter(Boolean);
      const { buildProgram } = await import('./dist/cli/main.mjs');
      await buildProgram(['node', 'counterweight', 'forecast']);
      const forecast = new Set(loaded());
      await buildProgram(['node', 'counterweight']);
      console.log(JSON.stringify({ forecast: [...forecast], all: [...new Set(loaded())] }));`;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', probe], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(text))));
    });
    const { forecast, all } = JSON.parse(out) as { forecast: string[]; all: string[] };
    for (const heavy of ['fastify', '@fastify/swagger', 'prom-client', '@zxcvbn-ts/core', 'argon2'])
      expect(all.includes(heavy) && !forecast.includes(heavy), heavy).toBe(true);
    expect(forecast).toContain('commander');
  });

  describe.each(DIALECTS)('on %s', (dialect) => {
    const dir = mkdtempSync(join(tmpdir(), `cw-dist-${dialect}-`));
    let env: Record<string, string>;
    let server: ChildProcess | undefined;
    beforeAll(async () => {
      env = {
        CW_KEYS_DIR: join(dir, 'keys'),
        CW_SQLITE_FILE: join(dir, 'cw.db'),
        DATABASE_URL: dialect === 'postgres' ? await freshPostgresUrl() : '',
        CW_ADMIN_PASSWORD: 'a-long-test-password-1',
      };
    });
    afterAll(() => {
      server?.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves (the first start loads the demo through the log writer thread), imports on an import thread, and audits on hashing threads', async () => {
      server = spawn(process.execPath, ['bin/counterweight.js', 'serve', '--port', '0'], {
        env: { ...process.env, ...env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      server.stdout!.on('data', (d) => (out += d));
      server.stderr!.on('data', (d) => (out += d));
      const url = await new Promise<string>((resolve, reject) => {
        const t = setInterval(() => {
          const m = /running at (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1].replace('localhost', '127.0.0.1'));
        }, 100);
        server!.on('exit', (code) => {
          clearInterval(t);
          reject(new Error(`serve exited ${code}: ${out}`));
        });
      });
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, database: dialect });
      expect(out).toContain('first start: sign in as "admin"');
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
      server = undefined;

      // 200 rows of the bundled demo file (demo/chicago/ORIGIN.md), whose source the first start registered.
      const csv = join(dir, 'incidents.csv');
      writeFileSync(
        csv,
        readFileSync('demo/chicago/chicago_crimes_sample_2017_2019.csv', 'utf8').split('\n').slice(0, 201).join('\n') +
          '\n',
      );
      const imp = await run(['import', csv, '--profile', 'chicago'], env);
      expect(imp.code, imp.stderr + imp.stdout).toBe(0);
      const audit = await run(['log', 'audit'], env);
      expect(audit.code, audit.stderr).toBe(0);
      expect(audit.stdout).toMatch(/^OK: log .* verified/);
    }, 240_000);
  });
});
