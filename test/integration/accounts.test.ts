import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiKey,
  createUser,
  ensureFirstAdmin,
  LOCK_AFTER,
  lockMillis,
  sha256,
  updateUser,
} from '../../src/accounts/accounts';
import { MACHINE_ROLES } from '../../src/domain/roles';
import { buildApp, type RouteInfo } from '../../src/server/app';
import type { App } from '../../src/server/context';
import { Ledger } from '../../src/ledger-service/ledger';
import { loadOrCreateLogKeys } from '../../src/ledger-service/log-keys';
import { migrate, openStore, type Store } from '../../src/store/db';
import { runCli } from '../support/cli';
import { DIALECTS, freshPostgresUrl, freshStore } from '../support/stores';
import { QUESTIONNAIRE, classificationAnswers, completeRecord, minimalAnswers } from '../support/register-fixtures';

const PASSWORD = 'a-long-test-password';
const T = 'system:test-setup';

interface Session {
  cookie: string;
  csrf: string;
  id: string;
}

describe.each(DIALECTS)('accounts, sign-in and API keys on %s', (dialect) => {
  let store: Store;
  let app: App;
  let ledger: Ledger;
  let routes: RouteInfo[];
  let keysDir: string;
  let addressNo = 0;
  // Each sign-in from its own address unless a test means to exercise the per-address limit.
  const nextAddress = () => `10.1.${Math.floor(++addressNo / 250)}.${addressNo % 250}`;
  const login = (
    username: string,
    password = PASSWORD,
    headers: Record<string, string> = {},
    remoteAddress = nextAddress(),
  ) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers, remoteAddress });
  async function signIn(username: string, password = PASSWORD): Promise<Session> {
    const r = await login(username, password);
    expect(r.statusCode, r.body).toBe(200);
    return {
      cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
      csrf: r.json().csrfToken,
      id: r.json().id,
    };
  }
  const as = (s: Session, method: string, url: string, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
  const withKey = (key: string, method: string, url: string, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: { authorization: `Bearer ${key}` },
    });
  const logTypes = async () =>
    await store.db.selectFrom('ledger_payloads').select(['idx', 'type', 'payload']).orderBy('idx').execute();
  const userCount = async () => (await store.db.selectFrom('users').select('id').execute()).length;

  let admin: Session;
  beforeAll(async () => {
    store = await freshStore(dialect);
    keysDir = mkdtempSync(join(tmpdir(), 'cw-keys-'));
    ({ app, ledger, routes } = await buildApp(store, { webDist: undefined, keysDir }));
    for (const [u, roles, unit] of [
      ['root', ['admin'], null],
      ['owner', ['system-owner'], null],
      ['board', ['oversight'], null],
      ['officer', ['officer'], 'district-1'],
      ['sup', ['supervisor'], 'district-1'],
    ] as const) {
      await createUser(ledger, T, { username: u, password: PASSWORD, roles: [...roles], unit });
    }
    admin = await signIn('root');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  // ---- 16.4: API keys are machines ----

  it("refuses to mint an API key holding a person's role, writing no key and no log entry", async () => {
    const before = (await logTypes()).length;
    for (const roles of [['oversight'], ['integration', 'supervisor'], ['admin'], ['public']]) {
      const r = await as(admin, 'POST', '/api/api-keys', { name: 'vendor', roles });
      expect(r.statusCode, `${roles}: ${r.body}`).toBe(400);
      expect(r.json().code).toBe('accounts.keyRoles');
      expect(r.json().errors[0]).toMatchObject({ field: 'roles' });
    }
    expect((await store.db.selectFrom('api_keys').selectAll().execute()).length).toBe(0);
    expect((await logTypes()).length).toBe(before);
    const ok = await as(admin, 'POST', '/api/api-keys', { name: 'vendor', roles: ['integration'] });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it("refuses a key with a person's role planted in the database on every human-only action: approval, decisions, audits, resume, redactions", async () => {
    // A system with a submitted assessment, so the approval attempt is real.
    const owner = await signIn('owner');
    const board = await signIn('board');
    const sys = await as(owner, 'POST', '/api/systems', { name: 'CCTV analytics', record: completeRecord() });
    expect(sys.statusCode, sys.body).toBe(201);
    const base = `/api/systems/${sys.json().systemId}/versions/1`;
    await as(owner, 'POST', `${base}/transition`, { to: 'consultation', reason: 'publish', consultationDays: 0 });
    // The classification is answered by the owner and confirmed by oversight before any approval.
    expect(
      (await as(owner, 'PUT', `${base}/classification`, { answers: classificationAnswers(completeRecord()) }))
        .statusCode,
    ).toBe(200);
    expect(
      (await as(board, 'POST', `${base}/classification/confirmation`, { reason: 'answers checked' })).statusCode,
    ).toBe(204);
    const aid = (
      await as(owner, 'POST', `${base}/assessments`, { questionnaire: QUESTIONNAIRE, answers: minimalAnswers() })
    ).json().id as string;
    expect(aid).toBeTruthy();

    // An old key, from before the rule, holding every person's role.
    const key = `cwk_0123456789ab_${'A'.repeat(43)}`;
    await store.db
      .insertInto('api_keys')
      .values({
        id: '0123456789ab',
        name: 'old oversight key',
        key_hash: sha256(key),
        roles: JSON.stringify(['oversight', 'supervisor', 'officer', 'admin', 'system-owner', 'integration']),
        system_id: null,
        created_by: null,
        created_at: '2026-01-01T00:00:00Z',
        revoked_at: null,
        last_used_at: null,
        log_index: null,
      })
      .execute();
    const attempts: [string, string, unknown][] = [
      ['POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'machine says yes' }],
      ['POST', '/api/alerts/alt-000000000001/decision', { outcome: 'followed', reason: 'x' }],
      ['POST', '/api/missions/alt-000000000001/decision', { decision: 'approved', reason: 'x' }],
      ['POST', `${base}/audits`, 'a,b\n1,2\n'],
      ['POST', `${base}/proxy-audit`, {}],
      ['POST', `${base}/place-audit`, {}],
      ['POST', `${base}/transition`, { to: 'active', reason: 'resume' }],
      ['POST', `${base}/redactions`, { fields: ['x'], reason: 'x' }],
      ['POST', '/api/sources/src-1/redactions', { reason: 'x' }],
      ['POST', '/api/users', { username: 'mallory', password: 'Plum-Kettle-Orbit-57', roles: ['admin'] }],
      ['POST', '/api/api-keys', { name: 'more', roles: ['integration'] }],
    ];
    for (const [method, url, payload] of attempts) {
      const r = await withKey(key, method, url, payload);
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(403);
      expect(r.json().code, `${method} ${url}`).toBe('accounts.needsPerson');
    }
    // The assessment is still waiting for a person; the same approval by a person of oversight goes through.
    expect(
      (await store.db.selectFrom('assessments').select('status').where('id', '=', aid).executeTakeFirstOrThrow())
        .status,
    ).not.toBe('approved');
    expect(
      (await as(board, 'POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'adequate' }))
        .statusCode,
    ).toBe(204);
    // …and the old key acts as `integration` at most, even where a person's role would be admitted.
    const me = (await withKey(key, 'GET', '/api/auth/me')).json();
    expect(me.roles).toEqual(['integration']);
    expect((await withKey(key, 'GET', '/api/users')).statusCode).toBe(403);
  });

  it('marks every route that admits no machine role as needing a person, and every human-only action among them', () => {
    const unsafe = routes.filter((r) => r.method !== 'GET');
    expect(unsafe.length).toBeGreaterThan(30);
    for (const r of routes) {
      const machineOrPublic = r.roles.some((x) => x === 'public' || MACHINE_ROLES.includes(x));
      expect(r.person, `${r.method} ${r.url}`).toBe(!machineOrPublic);
    }
    const humanOnly = [
      'POST /api/assessments/:assessmentId/decision',
      'POST /api/alerts/:alertId/decision',
      'POST /api/missions/:id/decision',
      'POST /api/systems/:id/versions/:version/audits',
      'POST /api/systems/:id/versions/:version/transition',
      'POST /api/systems/:id/versions/:version/redactions',
      'POST /api/sources/:id/redactions',
      'POST /api/audits/:auditId/publish',
      'POST /api/users',
      'PATCH /api/users/:id',
      'POST /api/api-keys',
    ];
    const table = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
    for (const h of humanOnly) expect(table.get(h)?.person, h).toBe(true);
  });

  // ---- 16.3: sign-in throttling and passwords ----

  it("locks an account after repeated failures: 40 wrong passwords then the right one is refused, until a time shown in the caller's language", async () => {
    await createUser(ledger, T, { username: 'target', password: PASSWORD, roles: ['analyst'] });
    const codes: number[] = [];
    const sentAt: number[] = []; // when each attempt went out: the lock runs from the LOCK_AFTER-th, whatever the machine's speed
    for (let i = 0; i < 40; i++) {
      sentAt.push(Date.now());
      codes.push((await login('target', `wrong-guess-${i}`)).statusCode);
    }
    expect(codes.slice(0, LOCK_AFTER - 1)).toEqual(Array(LOCK_AFTER - 1).fill(401));
    expect(codes.slice(LOCK_AFTER - 1).every((c) => c === 429)).toBe(true);
    const right = await login('target', PASSWORD, { 'accept-language': 'ko-KR,ko;q=0.9' });
    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe('accounts.locked');
    expect(right.json().detail).toContain('잠겨');
    expect(right.json().params.until).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(right.cookies.find((c) => c.name === 'cw_session')).toBeUndefined();
    // The admin sees the lockout in the listing and the detail.
    const listed = (await as(admin, 'GET', '/api/users'))
      .json()
      .find((u: { username: string }) => u.username === 'target');
    expect(listed.failedSignIns).toBe(LOCK_AFTER);
    const lockedUntil = Date.parse(listed.lockedUntil);
    expect(lockedUntil).toBeGreaterThanOrEqual(sentAt[LOCK_AFTER - 1] + lockMillis(LOCK_AFTER) - 1_000); // ms rounding of stored times
    expect(lockedUntil).toBeLessThanOrEqual(sentAt[LOCK_AFTER] + lockMillis(LOCK_AFTER) + 1_000);
    expect((await as(admin, 'GET', `/api/users/${listed.id}`)).json().lockedUntil).toBe(listed.lockedUntil);
    // One lockout, logged once, naming the pseudonymous account only: no password, no address, no username.
    const locks = (await logTypes()).filter((e) => e.type === 'access.sign-in.locked');
    expect(locks).toHaveLength(1);
    const subjects = await store.db
      .selectFrom('ledger_subjects')
      .select('ref')
      .where('idx', '=', locks[0].idx)
      .execute();
    expect(subjects.map((s) => s.ref)).toEqual([`user:${listed.id}`]);
    expect(locks[0].payload).not.toMatch(/wrong-guess|10\.1\.|target|127\.0/);
  });

  it('doubles the lock on each failure after it expires, holds across a restart, and a success clears it', async () => {
    await createUser(ledger, T, { username: 'slow', password: PASSWORD, roles: ['analyst'] });
    for (let i = 0; i < LOCK_AFTER; i++) await login('slow', 'nope-nope-nope');
    const lockOf = async () =>
      await store.db
        .selectFrom('sign_in_throttle')
        .selectAll()
        .where('username', '=', 'slow')
        .executeTakeFirstOrThrow();
    const first = await lockOf();
    expect(first.failures).toBe(LOCK_AFTER);
    // A second server on the same database (or this one after a restart) refuses too.
    const { app: other } = await buildApp(store, { webDist: undefined, keysDir });
    try {
      expect(
        (
          await other.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'slow', password: PASSWORD },
            remoteAddress: nextAddress(),
          })
        ).statusCode,
      ).toBe(429);
    } finally {
      await other.close();
    }
    // Let the lock expire; the next failure locks for twice as long.
    await store.db
      .updateTable('sign_in_throttle')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('username', '=', 'slow')
      .execute();
    const started = Date.now();
    expect((await login('slow', 'nope-again-nope')).statusCode).toBe(429);
    const second = await lockOf();
    expect(second.failures).toBe(LOCK_AFTER + 1);
    expect(Date.parse(second.locked_until!) - started).toBeGreaterThanOrEqual(2 * lockMillis(LOCK_AFTER) - 1000);
    expect(lockMillis(LOCK_AFTER + 1)).toBe(2 * lockMillis(LOCK_AFTER));
    // Expired again: the right password signs in and clears the count.
    await store.db
      .updateTable('sign_in_throttle')
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where('username', '=', 'slow')
      .execute();
    expect((await login('slow')).statusCode).toBe(200);
    expect(
      await store.db.selectFrom('sign_in_throttle').selectAll().where('username', '=', 'slow').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('checks at most LOCK_AFTER passwords of a burst of parallel guesses', async () => {
    await createUser(ledger, T, { username: 'burst', password: PASSWORD, roles: ['analyst'] });
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => login('burst', `parallel-${i}`)));
    const wrong = rs.filter((r) => r.statusCode === 401).length;
    expect(wrong).toBeLessThanOrEqual(LOCK_AFTER - 1);
    expect(rs.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    expect((await login('burst')).statusCode).toBe(429);
  });

  it("throttles one source address across usernames (unknown ones too) with a message in the caller's language", async () => {
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 40; i++) {
      last = await login(`nobody-${i}`, 'whatever-password', { 'accept-language': 'ko' }, '192.0.2.7');
      codes.push(last.statusCode);
    }
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(30);
    expect(last!.statusCode).toBe(429);
    expect(last!.json().code).toBe('accounts.tooManyFromAddress');
    expect(last!.json().detail).toMatch(/초 후에 다시 시도하세요/);
    // The throttle is logged once for this window, without the address.
    await ledger.drain();
    const logged = (await logTypes()).filter((e) => e.type === 'access.sign-in.address-throttled');
    expect(logged).toHaveLength(1);
    expect(String(logged[0].payload)).not.toContain('192.0.2');
    // Another address is not affected.
    expect((await login('owner')).statusCode).toBe(200);
  });

  it('refuses short, common and guessable passwords at creation, reset and change, naming the field', async () => {
    for (const pw of [
      'short-pw',
      '123456789012',
      'password1234',
      'qwertyuiopasdf',
      'iloveyou1234',
      'Newcomer1234!' /* strong alone, weak beside the username */,
    ]) {
      const r = await as(admin, 'POST', '/api/users', { username: 'newcomer', password: pw, roles: ['analyst'] });
      expect(r.statusCode, pw).toBe(400);
      expect(
        r.json().errors.map((e: { field: string }) => e.field),
        pw,
      ).toContain('password');
    }
    expect(
      await store.db.selectFrom('users').select('id').where('username', '=', 'newcomer').executeTakeFirst(),
    ).toBeUndefined();
    const made = await as(admin, 'POST', '/api/users', {
      username: 'newcomer',
      password: 'correct horse battery staple',
      roles: ['analyst'],
    });
    expect(made.statusCode, made.body).toBe(201);
    const reset = await as(admin, 'POST', `/api/users/${made.json().id}/password`, { password: 'Password123!' });
    expect(reset.statusCode).toBe(400);
    expect(reset.json().code).toBe('accounts.weakPassword');
    const me = await signIn('newcomer', 'correct horse battery staple');
    const change = await as(me, 'POST', '/api/auth/password', {
      currentPassword: 'correct horse battery staple',
      newPassword: 'iloveyou1234',
    });
    expect(change.statusCode).toBe(400);
    expect(change.json().errors[0].field).toBe('newPassword');
    const wrongCurrent = await as(me, 'POST', '/api/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'Tangerine-Viaduct-93',
    });
    expect(wrongCurrent.statusCode).toBe(403);
    // A good change ends the old session and opens a new one.
    const good = await as(me, 'POST', '/api/auth/password', {
      currentPassword: 'correct horse battery staple',
      newPassword: 'Tangerine-Viaduct-93',
    });
    expect(good.statusCode, good.body).toBe(200);
    expect((await as(me, 'GET', '/api/auth/me')).json().signedIn).toBe(false);
    expect((await login('newcomer', 'correct horse battery staple')).statusCode).toBe(401);
    expect((await login('newcomer', 'Tangerine-Viaduct-93')).statusCode).toBe(200);
  });

  // ---- 16.5: account lifecycle ----

  it('disabling ends the sessions and the API keys the account minted at once, and refuses sign-in', async () => {
    await createUser(ledger, T, { username: 'admin2', password: PASSWORD, roles: ['admin'] });
    const a2 = await signIn('admin2');
    const minted = await as(a2, 'POST', '/api/api-keys', { name: 'feed', roles: ['integration'] });
    expect(minted.statusCode).toBe(201);
    const key = minted.json().key as string;
    expect((await withKey(key, 'GET', '/api/auth/me')).json().kind).toBe('api-key');
    const r = await as(admin, 'PATCH', `/api/users/${a2.id}`, { disabled: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().disabled).toBe(true);
    expect((await as(a2, 'GET', '/api/users')).statusCode).toBe(401);
    expect((await withKey(key, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await login('admin2')).statusCode).toBe(401);
    // Enabled again: the old session stays ended, a new sign-in works, and so does the key.
    expect((await as(admin, 'PATCH', `/api/users/${a2.id}`, { disabled: false })).statusCode).toBe(200);
    expect((await as(a2, 'GET', '/api/users')).statusCode).toBe(401);
    expect((await login('admin2')).statusCode).toBe(200);
    expect((await withKey(key, 'GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('a change of roles or unit ends the old session at once; the new session carries the new roles', async () => {
    const off = await signIn('officer');
    const sessionRows = await store.db.selectFrom('sessions').selectAll().where('user_id', '=', off.id).execute();
    const r = await as(admin, 'PATCH', `/api/users/${off.id}`, { roles: ['analyst'] });
    expect(r.statusCode, r.body).toBe(200);
    expect((await as(off, 'GET', '/api/auth/me')).json().signedIn).toBe(false);
    // A sign-in racing the change (its session row written after the change's clean-up) still opened under
    // the old epoch: it does not authenticate either.
    await store.db.insertInto('sessions').values(sessionRows).execute();
    expect((await as(off, 'GET', '/api/auth/me')).json().signedIn).toBe(false);
    const again = await signIn('officer');
    expect((await as(again, 'GET', '/api/auth/me')).json().roles).toEqual(['public', 'analyst']);
    expect(
      (await as(admin, 'PATCH', `/api/users/${off.id}`, { unit: 'district-2', roles: ['officer'] })).statusCode,
    ).toBe(200);
    expect((await as(again, 'GET', '/api/auth/me')).json().signedIn).toBe(false);
    expect((await as(await signIn('officer'), 'GET', '/api/auth/me')).json()).toMatchObject({
      unit: 'district-2',
      roles: ['public', 'officer'],
    });
  });

  it('reset password and revoke sessions end every session; reset lifts a lockout', async () => {
    const s1 = await signIn('sup');
    expect((await as(admin, 'DELETE', `/api/users/${s1.id}/sessions`)).statusCode).toBe(204);
    expect((await as(s1, 'GET', '/api/auth/me')).json().signedIn).toBe(false);
    const s2 = await signIn('sup');
    for (let i = 0; i < LOCK_AFTER; i++) await login('sup', 'bad-bad-bad-bad');
    expect((await login('sup')).statusCode).toBe(429);
    expect(
      (await as(admin, 'POST', `/api/users/${s1.id}/password`, { password: 'Lantern-Quartz-Meadow-8' })).statusCode,
    ).toBe(204);
    expect((await as(s2, 'GET', '/api/auth/me')).json().signedIn).toBe(false);
    expect((await login('sup')).statusCode).toBe(401);
    expect((await login('sup', 'Lantern-Quartz-Meadow-8')).statusCode).toBe(200);
  });

  it('only an admin person may change accounts: other roles, API keys and unknown accounts are refused, and nothing changes', async () => {
    const board = await signIn('board');
    const target = (
      await store.db.selectFrom('users').select('id').where('username', '=', 'owner').executeTakeFirstOrThrow()
    ).id;
    const key = (await createApiKey(ledger, T, { name: 'k', roles: ['integration'] })).key;
    const actions: [string, string, unknown][] = [
      ['PATCH', `/api/users/${target}`, { disabled: true }],
      ['PATCH', `/api/users/${target}`, { roles: ['admin'] }],
      ['PATCH', `/api/users/${target}`, { unit: 'district-9' }],
      ['POST', `/api/users/${target}/password`, { password: 'Lantern-Quartz-Meadow-8' }],
      ['DELETE', `/api/users/${target}/sessions`, undefined],
      ['DELETE', `/api/users/${target}/lockout`, undefined],
      ['GET', `/api/users/${target}`, undefined],
    ];
    const before = (await logTypes()).length;
    const row = async () => store.db.selectFrom('users').selectAll().where('id', '=', target).executeTakeFirstOrThrow();
    const was = await row();
    for (const [method, url, payload] of actions) {
      expect((await as(board, method, url, payload)).statusCode, `oversight ${method} ${url}`).toBe(403);
      expect((await withKey(key, method, url, payload)).statusCode, `key ${method} ${url}`).toBe(403);
      expect(
        (await app.inject({ method: method as 'GET', url, payload: payload as object })).statusCode,
        `anonymous ${method} ${url}`,
      ).toBe(401);
      // The admin, on an account that does not exist: 404, nothing logged.
      const ghost = url.replace(target, '00000000-0000-4000-8000-000000000000');
      expect((await as(admin, method, ghost, payload)).statusCode, `admin ${method} ${ghost}`).toBe(404);
    }
    expect(await row()).toEqual(was);
    expect((await logTypes()).length).toBe(before);
  });

  it('refuses to disable or demote the last active admin, also when two admins disable each other at once', async () => {
    const rootId = admin.id;
    const a2 = (
      await store.db.selectFrom('users').select('id').where('username', '=', 'admin2').executeTakeFirstOrThrow()
    ).id;
    // Demote admin2 so root is the only admin.
    expect((await as(admin, 'PATCH', `/api/users/${a2}`, { roles: ['analyst'] })).statusCode).toBe(200);
    for (const change of [{ disabled: true }, { roles: ['analyst'] }]) {
      const r = await as(admin, 'PATCH', `/api/users/${rootId}`, change);
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('accounts.lastAdmin');
    }
    expect((await as(admin, 'PATCH', `/api/users/${a2}`, { roles: ['admin'] })).statusCode).toBe(200);
    const activeAdmins = async () =>
      (await store.db.selectFrom('users').select(['id', 'roles', 'disabled']).execute()).filter(
        (u) => !u.disabled && u.roles.includes('admin'),
      );
    // At the service, both changes planned against the same state: the unique event number lets one through.
    const both = await Promise.allSettled([
      updateUser(ledger, T, a2, { disabled: true }),
      updateUser(ledger, T, rootId, { roles: ['analyst'] }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.messageCode)).toBe(
      'accounts.lastAdmin',
    );
    expect(await activeAdmins()).toHaveLength(1);
    // Restore both admins, then the same race over HTTP.
    const survivor = (await activeAdmins())[0].id;
    const fallen = survivor === rootId ? a2 : rootId;
    await updateUser(ledger, T, fallen, { disabled: false, roles: ['admin'] });
    const other = await signIn('admin2');
    admin = await signIn('root');
    const [x, y] = await Promise.all([
      as(admin, 'PATCH', `/api/users/${a2}`, { disabled: true }),
      as(other, 'PATCH', `/api/users/${rootId}`, { disabled: true }),
    ]);
    const codes = [x.statusCode, y.statusCode].sort();
    expect(codes[0]).toBe(200);
    expect([401, 409]).toContain(codes[1]); // 401 when the loser's own account was already disabled
    expect(await activeAdmins()).toHaveLength(1);
    if (x.statusCode !== 200) admin = other; // root was disabled: carry on as admin2
  });

  // ---- 15.8: account changes and their log entries commit together ----

  it('logs every account change with the row, in one transaction, with no personal data in the entry', async () => {
    const events = await store.db.selectFrom('account_events').selectAll().orderBy('seq').execute();
    expect(events.length).toBeGreaterThan(8);
    for (const e of events) {
      const entry = await store.db
        .selectFrom('ledger_payloads')
        .select(['type', 'payload'])
        .where('idx', '=', Number(e.log_index))
        .executeTakeFirstOrThrow();
      expect(entry.type).toBe(`access.${e.event}`);
      expect(JSON.parse(String(entry.payload)).seq).toBe(Number(e.seq));
    }
    const users = await store.db.selectFrom('users').selectAll().execute();
    for (const u of users) {
      const entry = await store.db
        .selectFrom('ledger_payloads')
        .select(['type', 'payload'])
        .where('idx', '=', Number(u.log_index))
        .executeTakeFirstOrThrow();
      expect(entry.type).toBe('access.user.created');
      // Only the pseudonymous id, roles and unit: no username, display name or password hash.
      expect(Object.keys(JSON.parse(String(entry.payload))).sort()).toEqual(['id', 'roles', 'unit']);
      expect(entry.payload).not.toContain(u.password_hash.slice(0, 20));
    }
    const refs = (
      await store.db.selectFrom('ledger_subjects').select('ref').where('ref', 'like', 'user:%').execute()
    ).map((r) => r.ref);
    for (const r of refs) expect(r).toMatch(/^user:[0-9a-f-]{36}$/);
  });

  it('writes no user and no key when the log append fails', async () => {
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER fail_log BEFORE INSERT ON ledger_checkpoints BEGIN SELECT RAISE(ABORT, 'forced log failure'); END`.execute(
        store.db,
      );
    } else {
      await sql`CREATE FUNCTION fail_log() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced log failure'; END $$ LANGUAGE plpgsql`.execute(
        store.db,
      );
      await sql`CREATE TRIGGER fail_log BEFORE INSERT ON ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION fail_log()`.execute(
        store.db,
      );
    }
    const users = await userCount();
    const keys = (await store.db.selectFrom('api_keys').select('id').execute()).length;
    try {
      const r = await as(admin, 'POST', '/api/users', {
        username: 'ghost',
        password: 'Lantern-Quartz-Meadow-8',
        roles: ['analyst'],
      });
      expect(r.statusCode, r.body).toBe(500);
      const k = await as(admin, 'POST', '/api/api-keys', { name: 'ghost key', roles: ['integration'] });
      expect(k.statusCode).toBe(500);
      const target = await store.db
        .selectFrom('users')
        .select(['id', 'roles'])
        .where('username', '=', 'owner')
        .executeTakeFirstOrThrow();
      expect((await as(admin, 'PATCH', `/api/users/${target.id}`, { roles: ['analyst'] })).statusCode).toBe(500);
      expect(
        (await store.db.selectFrom('users').select('roles').where('id', '=', target.id).executeTakeFirstOrThrow())
          .roles,
      ).toBe(target.roles);
    } finally {
      await sql`DROP TRIGGER fail_log ${sql.raw(dialect === 'sqlite' ? '' : 'ON ledger_checkpoints')}`.execute(
        store.db,
      );
    }
    expect(await userCount()).toBe(users);
    expect((await store.db.selectFrom('api_keys').select('id').execute()).length).toBe(keys);
    // The log works again, and the user is created with its entry.
    const ok = await as(admin, 'POST', '/api/users', {
      username: 'ghost',
      password: 'Lantern-Quartz-Meadow-8',
      roles: ['analyst'],
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe.each(DIALECTS)('the command line and the first start log account changes on %s', (dialect) => {
  it('`user add`, `user roles`, `user disable` and the first admin each write the row with its log entry; weak passwords are refused by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-user-cli-'));
    const env: Record<string, string> = { CW_KEYS_DIR: join(dir, 'keys') };
    if (dialect === 'postgres') env.DATABASE_URL = await freshPostgresUrl();
    else env.CW_SQLITE_FILE = join(dir, 'cw.db');
    const store = openStore({ databaseUrl: env.DATABASE_URL, sqliteFile: env.CW_SQLITE_FILE });
    await migrate(store);
    try {
      // The first start: an admin created through the log.
      const ledger = new Ledger(store, loadOrCreateLogKeys(env.CW_KEYS_DIR, 'counterweight.local/log'), {
        writerThread: false,
      });
      const first = await ensureFirstAdmin(ledger, 'Orchid-Tramway-Basalt-41');
      expect(first?.roles).toEqual(['admin']);
      expect(await ensureFirstAdmin(ledger, 'Orchid-Tramway-Basalt-41')).toBeUndefined();
      await ledger.close();

      const weak = await runCli(['user', 'add', 'dana', '--roles', 'analyst'], { ...env, CW_PASSWORD: 'password1234' });
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/field "password"/);
      const added = await runCli(['user', 'add', 'dana', '--roles', 'analyst', '--unit', 'district-3'], env);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/password \(shown once\): \S{16}/);
      expect((await runCli(['user', 'roles', 'dana', '--roles', 'supervisor'], env)).code).toBe(0);
      expect((await runCli(['user', 'disable', 'admin'], env)).code).not.toBe(0); // the last active admin
      const disabled = await runCli(['user', 'disable', 'dana'], env);
      expect(disabled.code, disabled.stderr).toBe(0);
      expect((await runCli(['user', 'list'], env)).stdout).toMatch(/^dana\tsupervisor\tdistrict-3\tdisabled/m);

      const users = await store.db.selectFrom('users').selectAll().orderBy('username').execute();
      expect(users.map((u) => [u.username, u.disabled])).toEqual([
        ['admin', 0],
        ['dana', 1],
      ]);
      const entries = await store.db
        .selectFrom('ledger_payloads')
        .select(['idx', 'type', 'payload'])
        .orderBy('idx')
        .execute();
      expect(entries.map((e) => e.type)).toEqual([
        'access.user.created',
        'access.user.created',
        'access.user.changed',
        'access.user.disabled',
      ]);
      for (const u of users)
        expect(entries.find((e) => Number(e.idx) === Number(u.log_index))?.type).toBe('access.user.created');
      const subjects = await store.db.selectFrom('ledger_subjects').select(['ref', 'idx']).orderBy('idx').execute();
      expect(subjects.map((s) => s.ref)).toEqual([
        `user:${users[0].id}`,
        `user:${users[1].id}`,
        `user:${users[1].id}`,
        `user:${users[1].id}`,
      ]);
      for (const e of entries) expect(String(e.payload)).not.toMatch(/dana|Orchid|argon2/);
    } finally {
      await store.close();
    }
  }, 300_000); // six command-line runs, each a fresh Node process
});
