/**
 * Issue 17 item 6, as a newcomer meets it: `counterweight serve --demo …` on an empty database prints the
 * demo people's passwords and the vendor's key once, on the console; each works for signing in; none is in
 * the server's JSON log lines or in the database; a second start prints none and the printed ones still work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES } from '../../src/demo/demo-organisation';
import { openStore } from '../../src/store/db';
import { CLI_ARGS, CLI_ENV } from '../support/cli';
import { DIALECTS, freshPostgresUrl } from '../support/stores';
import { wholeDatabase } from '../support/whole-database';

/** Start `serve`; resolves once it listens and, on a first start, has printed the vendor key (the last line it prints). */
function serve(
  args: string[],
  env: Record<string, string>,
  firstStart: boolean,
): Promise<{ child: ChildProcess; url: string; stdout: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, 'serve', '--port', '0', ...args], {
      env: { ...process.env, ...env, ...CLI_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m && (!firstStart || /cwk_\S+\n/.test(out))) resolve({ child, url: m[1], stdout: () => out });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${err.slice(-2000)}`)));
  });
}

const stop = (c: ChildProcess) =>
  new Promise<void>((ok) => {
    c.once('close', () => ok());
    c.kill('SIGTERM');
  });

describe.each(DIALECTS)('serve --demo seoul on %s', (dialect) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-demo-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints each demo password once; each signs in; none is logged or stored', async () => {
    const base = { CW_KEYS_DIR: join(dir, 'keys'), CW_ADMIN_PASSWORD: 'a-long-test-password', CW_LOG_LEVEL: 'info' };
    const env =
      dialect === 'postgres'
        ? { ...base, DATABASE_URL: await freshPostgresUrl() }
        : { ...base, DATABASE_URL: '', CW_SQLITE_FILE: join(dir, 'cw.db') };
    const first = await serve(['--demo', 'seoul'], env, true);
    let out = first.stdout();
    const printed = [...out.matchAll(/^ {2}(demo-[a-z0-9-]+) {2}\(([a-z, -]+)\) {2}비밀번호: (\S+)$/gm)].map((m) => ({
      username: m[1],
      roles: m[2].split(', '),
      password: m[3],
    }));
    const key = /: (cwk_\S+)$/m.exec(out)![1];
    expect(new Set(printed.flatMap((p) => p.roles))).toEqual(new Set(DEMO_ROLES));
    const login = (u: string, p: string) =>
      fetch(`${first.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: u, password: p }),
      });
    for (const p of printed) expect((await login(p.username, p.password)).status, p.username).toBe(200);
    // The vendor's key is accepted by intake (a wrong body is refused by validation, not by authentication).
    const vendor = /api\/systems\/(sys-[0-9a-f]{12})\/alerts/.exec(out)![1];
    expect(
      (
        await fetch(`${first.url}/api/systems/${vendor}/alerts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(400);
    await new Promise((ok) => setTimeout(ok, 300));
    out = first.stdout();
    await stop(first.child);
    const logLines = out.split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(10);
    const secrets = [...printed.map((p) => p.password), key];
    for (const s of secrets) {
      expect(
        logLines.some((l) => l.includes(s)),
        'a secret in the log',
      ).toBe(false);
      expect(out.split(s).length - 1, 'printed exactly once').toBe(1);
    }
    const store = openStore(
      dialect === 'postgres' ? { databaseUrl: env.DATABASE_URL } : { sqliteFile: join(dir, 'cw.db') },
    );
    const db = await wholeDatabase(store);
    await store.close();
    for (const s of secrets) expect(db.includes(s), 'a secret in the database').toBe(false);

    // A second start prints no password; the printed ones still work.
    const again = await serve(['--demo', 'seoul'], env, false);
    try {
      await new Promise((ok) => setTimeout(ok, 300));
      expect(again.stdout()).not.toMatch(/비밀번호|password:|cwk_/);
      const r = await fetch(`${again.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: printed[0].username, password: printed[0].password }),
      });
      expect(r.status).toBe(200);
    } finally {
      await stop(again.child);
    }
  }, 240_000);
});
