import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { registerBundledSources } from '../../src/privacy/sources';
import { buildApp } from '../../src/server/app';
import type { App } from '../../src/server/context';
import type { Store } from '../../src/store/db';
import { completeRecord, ownerModelCard } from '../support/register-fixtures';
import { DIALECTS, freshStore } from '../support/stores';

const PASSWORD = 'a-long-test-password';
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

async function signIn(app: App, username: string, headers: Record<string, string> = {}) {
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: PASSWORD },
    headers,
  });
  expect(r.statusCode, r.body).toBe(200);
  const c = r.cookies.find((x) => x.name === 'cw_session')!;
  return {
    token: c.value,
    cookie: `cw_session=${c.value}`,
    csrf: r.json().csrfToken as string,
    setCookie: String(r.headers['set-cookie']),
  };
}

describe.each(DIALECTS)('server hardening on %s', (dialect) => {
  let store: Store;
  let app: App;
  let keysDir: string;
  const logLines: string[] = [];
  const as: Record<string, { cookie: string; csrf: string; token: string }> = {};
  const call = (who: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf, ...headers },
    });
  const logSize = async () => (await latestCheckpoint(store.db))?.size ?? 0;
  let systemId: string;

  beforeAll(async () => {
    store = await freshStore(dialect);
    keysDir = mkdtempSync(join(tmpdir(), 'cw-keys-'));
    let ledger;
    ({ app, ledger } = await buildApp(
      store,
      { webDist: undefined, keysDir },
      { logger: { level: 'info', stream: { write: (l: string) => void logLines.push(l) } } },
    ));
    for (const [u, roles] of [
      ['owner', ['system-owner']],
      ['analyst', ['analyst']],
    ] as const)
      await createUser(ledger, 'system:test-setup', { username: u, password: PASSWORD, roles: [...roles] });
    await registerBundledSources(store, ledger);
    for (const u of ['owner', 'analyst']) as[u] = await signIn(app, u);
    const created = await call('owner', 'POST', '/api/systems', {
      name: 'Hardening test system',
      record: completeRecord(),
    });
    expect(created.statusCode, created.body).toBe(201);
    systemId = created.json().systemId;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  describe('deeply nested JSON gets 400 naming the limit, never 500', () => {
    it('10,000 nested arrays as a login body', async () => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: nestedArrays(10_000),
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('server.tooDeep');
      expect(r.json().errors[0].field).toBe('body');
    });

    it('100,000 nested arrays inside a model card (a free-form JSON body): 400, nothing stored or logged', async () => {
      const before = await logSize();
      const body = `{"limitations":${nestedArrays(100_000)}}`;
      const r = await call('owner', 'PUT', `/api/systems/${systemId}/versions/1/model-card`, body, {
        'content-type': 'application/json',
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('server.tooDeep');
      expect(await logSize()).toBe(before);
      expect(await store.db.selectFrom('model_cards').selectAll().where('system_id', '=', systemId).execute()).toEqual(
        [],
      );
    });

    it('the same in Korean when asked', async () => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json', 'accept-language': 'ko' },
        payload: nestedArrays(500),
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().detail).toMatch(/[가-힣]/);
    });

    it('brackets inside strings do not count, and ordinary nesting passes', async () => {
      const r = await call('owner', 'PUT', `/api/systems/${systemId}/versions/1/model-card`, {
        ...ownerModelCard(),
        intendedUse: '['.repeat(3000) + '{"'.repeat(100),
        metrics: [{ name: 'PAI', value: 4.2, interval: [3.1, 5.3] }],
      });
      expect(r.statusCode, r.body).toBe(204);
    });
  });

  describe('fileName of an uploaded CSV: only a plain name, else 400 naming the field', () => {
    const csv =
      readFileSync('demo/chicago/chicago_crimes_sample_2017_2019.csv', 'utf8').split('\n').slice(0, 3).join('\n') +
      '\n';
    const upload = (fileName: string) =>
      call('analyst', 'POST', `/api/imports?profile=chicago&fileName=${encodeURIComponent(fileName)}`, csv, {
        'content-type': 'text/csv',
      });
    it.each(['..', '.', '../../etc/passwd', '..\\..\\windows', 'a\u0000b.csv', '.hidden', 'a/b.csv', ''])(
      '%j is refused with 400',
      async (name) => {
        const r = await upload(name);
        expect(r.statusCode, r.body).toBe(400);
        expect(r.json().errors.map((e: { field: string }) => e.field)).toContain('querystring/fileName');
      },
    );
    it('a Korean file name is a plain name too', async () => {
      const r = await upload('사건_2019.csv');
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().file).toBe('사건_2019.csv');
    });
  });

  describe('session cookie', () => {
    it('over plain HTTP without trustProxy: not Secure, and a forged X-Forwarded-Proto changes nothing', async () => {
      expect((await signIn(app, 'analyst')).setCookie).not.toMatch(/;\s*Secure/i);
      const forged = await signIn(app, 'analyst', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
      expect(forged.setCookie).not.toMatch(/;\s*Secure/i);
    });

    it('behind a trusted TLS proxy: Secure when the proxy says https, not when it says http', async () => {
      const { app: proxied } = await buildApp(store, { webDist: undefined, keysDir, trustProxy: true });
      try {
        expect((await signIn(proxied, 'analyst', { 'x-forwarded-proto': 'https' })).setCookie).toMatch(/;\s*Secure/i);
        expect((await signIn(proxied, 'analyst', { 'x-forwarded-proto': 'http' })).setCookie).not.toMatch(
          /;\s*Secure/i,
        );
      } finally {
        await proxied.close();
      }
    });

    it('secureCookies forces Secure whatever the request says', async () => {
      const { app: forced } = await buildApp(store, { webDist: undefined, keysDir, secureCookies: true });
      try {
        expect((await signIn(forced, 'analyst')).setCookie).toMatch(/;\s*Secure/i);
      } finally {
        await forced.close();
      }
    });
  });

  it('404, 413 and validation errors carry a message code and read in Korean when asked', async () => {
    const ko = { 'accept-language': 'ko' };
    const missing = await app.inject({ method: 'GET', url: '/api/no-such-thing?x=1', headers: ko });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      code: 'server.noEndpoint',
      params: { method: 'GET', path: '/api/no-such-thing' },
    });
    expect(missing.json().detail).toMatch(/[가-힣]/);
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: '' },
      headers: ko,
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'server.invalid', params: { part: 'body' } });
    const big = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { ...ko, 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('server.tooLarge');
  });

  // Last: breaks a table on purpose (restored afterwards).
  it('a 500 says only the request id; the log line has the id and no cookie, authorization, CSRF token or body', async () => {
    const secretBody = 'SECRET-COMMENT-BODY-4711';
    const basic = Buffer.from('someone:secret-password-0815').toString('base64');
    await sql`ALTER TABLE system_versions RENAME TO system_versions_away`.execute(store.db);
    let r;
    try {
      r = await call(
        'owner',
        'POST',
        `/api/systems/${systemId}/versions/1/comments`,
        { author: 'tester', body: secretBody },
        { authorization: `Basic ${basic}`, 'accept-language': 'en' },
      );
    } finally {
      await sql`ALTER TABLE system_versions_away RENAME TO system_versions`.execute(store.db);
    }
    expect(r.statusCode, r.body).toBe(500);
    const problem = r.json();
    expect(problem.code).toBe('server.internal');
    const requestId = problem.params.requestId as string;
    expect(requestId).toMatch(/\S{8,}/);
    expect(problem.detail).toContain(requestId);
    // Nothing about the cause reaches the caller.
    expect(r.body).not.toMatch(/system_versions|sqlite|relation|stack|at /i);

    const text = logLines.join('');
    const entries = logLines
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const errorLine = entries.find((e) => e.level === 50 && e.reqId === requestId);
    expect(errorLine, `no error log line for ${requestId}`).toBeDefined();
    expect(JSON.stringify(errorLine)).toMatch(/system_versions/); // the cause is in the log, for the operator
    for (const secret of [as.owner.token, as.owner.csrf, basic, secretBody, PASSWORD])
      expect(text).not.toContain(secret);
  });
});
