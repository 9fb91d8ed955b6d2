import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/accounts/accounts';
import { ROLES, type Role } from '../../src/domain/roles';
import { buildApp, type RouteInfo } from '../../src/server/app';
import { registerBundledSources } from '../../src/privacy/sources';
import type { App } from '../../src/server/context';
import { migrate, openStore, type Store } from '../../src/store/db';

const PASSWORD = 'a-long-test-password';
const PERSON: Role[] = ['analyst', 'supervisor', 'officer', 'system-owner', 'oversight', 'auditor', 'admin'];

async function signIn(app: App, username: string) {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  expect(r.statusCode).toBe(200);
  const cookie = r.cookies.find((c) => c.name === 'cw_session')!;
  return { cookie: `cw_session=${cookie.value}`, csrf: r.json().csrfToken as string };
}

/** Fill `:param` segments with a plausible value so the request reaches the route, not the 404 handler. */
const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, name) => (name === 'id' ? '0123456789ab' : 'x'));

describe('HTTP API', () => {
  let store: Store;
  let app: App;
  let routes: RouteInfo[];
  const sessions: Partial<Record<Role, { cookie: string; csrf: string }>> = {};
  let integrationKey: string;

  beforeAll(async () => {
    store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
    let ledger;
    ({ app, routes, ledger } = await buildApp(store, {
      webDist: undefined,
      keysDir: mkdtempSync(join(tmpdir(), 'cw-keys-')),
    }));
    for (const r of PERSON)
      await createUser(ledger, 'system:test-setup', { username: r, password: PASSWORD, roles: [r] });
    integrationKey = (await createApiKey(ledger, 'system:test-setup', { name: 'vendor', roles: ['integration'] })).key;
    await registerBundledSources(store, ledger);
    for (const r of PERSON) sessions[r] = await signIn(app, r);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('every route declares its roles, and the table covers what the server actually serves', () => {
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) expect(r.roles.length).toBeGreaterThan(0);
    for (const r of routes) expect(r.roles.every((x) => (ROLES as readonly string[]).includes(x))).toBe(true);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /healthz', 'GET /api/incidents', 'POST /api/users']),
    );
  });

  it('walks the whole route table × every role: refused exactly when the route does not admit the role', async () => {
    const callers: { role: Role; headers: Record<string, string> }[] = [
      { role: 'public', headers: {} },
      { role: 'integration', headers: { authorization: `Bearer ${integrationKey}` } },
      ...PERSON.map((role) => ({
        role,
        headers: { cookie: sessions[role]!.cookie, 'x-csrf-token': sessions[role]!.csrf },
      })),
    ];
    let checked = 0;
    for (const route of routes) {
      if (route.url === '/api/auth/logout' || route.url === '/*') continue; // logout ends the session; static files need a build
      for (const c of callers) {
        const res = await app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: c.headers,
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        });
        const admitted = route.roles.includes('public') || route.roles.includes(c.role);
        if (admitted) {
          expect(
            [401, 403],
            `${c.role} → ${route.method} ${route.url} should be admitted, got ${res.statusCode} ${res.body}`,
          ).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${c.role} → ${route.method} ${route.url}`).toBe(c.role === 'public' ? 401 : 403);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses unsafe requests on a cookie session without the CSRF token', async () => {
    const s = sessions.admin!;
    const r = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: s.cookie },
      payload: { username: 'x1', password: 'Plum-Kettle-Orbit-57', roles: ['analyst'] },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toMatch(/csrf/i);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      payload: { username: 'x1', password: 'Plum-Kettle-Orbit-57', roles: ['analyst'] },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.body).not.toContain('Plum-Kettle-Orbit-57');
  });

  it('answers malformed bodies with problem+json naming the failing field', async () => {
    const s = sessions.admin!;
    const r = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      payload: { username: 'ok-name', password: 12, roles: ['emperor'] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    const fields = r.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body/password', 'body/roles/0']));
  });

  it('refuses a body over the size limit with 413 and writes nothing', async () => {
    const s = sessions.admin!;
    const before = (await store.db.selectFrom('users').selectAll().execute()).length;
    const r = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'big', password: 'x'.repeat(2 * 1024 * 1024), roles: ['analyst'] }),
    });
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect((await store.db.selectFrom('users').selectAll().execute()).length).toBe(before);
  });

  it('rejects invalid JSON with a clear 400', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a", ',
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
  });

  it('refuses an import that is not text/csv with a coded message, in Korean when asked (issue 17 item 5)', async () => {
    const s = sessions.analyst!;
    const r = await app.inject({
      method: 'POST',
      url: '/api/imports?profile=chicago&fileName=mine.csv',
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrf,
        'content-type': 'application/json',
        'accept-language': 'ko',
      },
      payload: '{}',
    });
    expect(r.statusCode).toBe(415);
    expect(r.json()).toMatchObject({
      code: 'server.csvContentType',
      detail: 'CSV는 Content-Type: text/csv로 보내세요',
    });
  });

  it('imports a CSV over HTTP all-or-nothing, with errors naming the uploaded file and row', async () => {
    const s = sessions.analyst!;
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv' };
    const head = 'id,date,primary_type,description,latitude,longitude,community_area,arrest';
    const bad = await app.inject({
      method: 'POST',
      url: '/api/imports?profile=chicago&fileName=mine.csv',
      headers,
      payload: `${head}\n1,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false\n2,1/2/2018 10:00,THEFT,x,41.8,oops,1,false\n`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ file: 'mine.csv', row: 3, field: 'longitude' });
    expect(bad.body).not.toMatch(/cw-upload-/); // no server temp paths leak
    expect((await store.db.selectFrom('incidents').selectAll().execute()).length).toBe(0);
    const good = await app.inject({
      method: 'POST',
      url: '/api/imports?profile=chicago&fileName=mine.csv',
      headers,
      payload: `${head}\n1,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false\n`,
    });
    expect(good.statusCode).toBe(201);
    expect(good.json()).toMatchObject({ imported: 1, file: 'mine.csv' });
  });

  it('serves the OpenAPI 3.1 document with every API route in it', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const r of routes.filter((x) => x.url.startsWith('/api/') && x.url !== '/api/openapi.json')) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path}`).toBeDefined();
    }
  });

  it('sends security headers', async () => {
    const r = await app.inject({ url: '/healthz' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBeDefined();
  });

  it('property: hostile query strings never crash a route (4xx problem+json, never 500)', async () => {
    const s = sessions.analyst!;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('type', 'origin', 'from', 'to', 'limit', 'source', 'zz'),
          fc.string({ maxLength: 60 }),
        ),
        async (q) => {
          const qs = new URLSearchParams(q).toString();
          const r = await app.inject({ url: `/api/incidents?${qs}`, headers: { cookie: s.cookie } });
          expect(r.statusCode).toBeLessThan(500);
          if (r.statusCode >= 400) expect(r.headers['content-type']).toMatch(/problem\+json/);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('never returns password hashes or key hashes', async () => {
    const s = sessions.admin!;
    const users = await app.inject({ url: '/api/users', headers: { cookie: s.cookie } });
    expect(users.body).not.toMatch(/argon2|password_hash/);
    const keys = await app.inject({ url: '/api/api-keys', headers: { cookie: s.cookie } });
    expect(keys.body).not.toMatch(/key_hash|cwk_/);
  });
});
