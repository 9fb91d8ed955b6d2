import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_ARGS, CLI_ENV, runCli } from '../support/cli';
import { DIALECTS, freshPostgresUrl } from '../support/stores';

/** Start the real `counterweight serve` on a free port; resolves with its URL once it listens. */
function serve(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; stdout: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, 'serve', '--port', '0', '--no-demo', ...args], {
      env: { ...process.env, ...env, ...CLI_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], stdout: () => out });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe.each(DIALECTS)('counterweight serve on %s', (dialect) => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGTERM');
    child = undefined;
  });
  const envFor = async (): Promise<Record<string, string>> => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-serve-'));
    const base = { CW_KEYS_DIR: join(dir, 'keys'), CW_ADMIN_PASSWORD: 'a-long-test-password', CW_LOG_LEVEL: 'info' };
    return dialect === 'postgres'
      ? { ...base, DATABASE_URL: await freshPostgresUrl() }
      : { ...base, DATABASE_URL: '', CW_SQLITE_FILE: join(dir, 'cw.db') };
  };

  it('logs JSON lines to stdout with a request id, and no cookie or authorization value', async () => {
    const s = await serve([], await envFor());
    child = s.child;
    const r = await fetch(`${s.url}/api/no-such-route`, {
      headers: { cookie: 'cw_session=SESSION-SECRET-123', authorization: 'Basic QUxBRERJTjpPUEVOU0VTQU1F' },
    });
    expect(r.status).toBe(404);
    await new Promise((ok) => setTimeout(ok, 300));
    const lines = s
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { reqId?: string; req?: { url: string } });
    const mine = lines.filter((l) => l.req?.url === '/api/no-such-route');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.stdout()).not.toContain('SESSION-SECRET-123');
    expect(s.stdout()).not.toContain('QUxBRERJTjpPUEVOU0VTQU1F');
  });

  it('--trust-proxy with a bad value is refused, naming the option', async () => {
    const r = await runCli(['serve', '--port', '0', '--no-demo', '--trust-proxy', '2'], await envFor());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/trust-proxy/);
  });

  it('--background-jobs (or CW_BACKGROUND_JOBS) that is not a whole number from 1 is refused, naming the option', async () => {
    for (const [args, env] of [
      [['--background-jobs', '0'], {}],
      [[], { CW_BACKGROUND_JOBS: 'two' }],
    ] as const) {
      const r = await runCli(['serve', '--port', '0', '--no-demo', ...args], { ...(await envFor()), ...env });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/--background-jobs/);
    }
  });

  it('CW_TRUST_PROXY makes a proxied https sign-in set a Secure cookie; without it the same request does not', async () => {
    for (const [trust, secure] of [
      ['127.0.0.1', true],
      ['', false],
    ] as const) {
      const s = await serve([], { ...(await envFor()), CW_TRUST_PROXY: trust });
      child = s.child;
      const r = await fetch(`${s.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ username: 'admin', password: 'a-long-test-password' }),
      });
      expect(r.status).toBe(200);
      expect(/;\s*Secure/i.test(r.headers.get('set-cookie') ?? ''), `trust-proxy=${trust}`).toBe(secure);
      child.kill('SIGTERM');
      child = undefined;
    }
  });
});
