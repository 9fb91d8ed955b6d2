import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { takeCommentSlot } from '../../src/registry/comment-quota';
import { buildApp } from '../../src/server/app';
import type { App, ServerConfig } from '../../src/server/context';
import type { Store } from '../../src/store/db';
import { completeRecord } from '../support/register-fixtures';
import { DIALECTS, freshStore } from '../support/stores';

const PASSWORD = 'a-long-test-password';

// The incident: 200 anonymous comments in 2.5 s, each a public log entry. Now: a per-address rate limit
// (per server) and a per-system, per-UTC-day cap held in the database (shared by every server).
describe.each(DIALECTS)('anonymous consultation comments on %s', (dialect) => {
  let store: Store;
  let keysDir: string;
  const apps: App[] = [];
  let owner: { cookie: string; csrf: string };

  const start = async (config: Partial<ServerConfig>) => {
    const { app } = await buildApp(store, { webDist: undefined, keysDir, ...config });
    apps.push(app);
    return app;
  };
  const comment = (app: App, systemId: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/systems/${systemId}/versions/1/comments`,
      payload: { author: 'neighbour', body: 'Who checks the hotspots?' },
      remoteAddress,
      headers,
    });
  const countComments = async (systemId: string) =>
    Number(
      (
        await store.db
          .selectFrom('consultation_comments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('system_id', '=', systemId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const countLogged = async () =>
    Number(
      (
        await store.db
          .selectFrom('ledger_payloads')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('type', '=', 'consultation.comment')
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function systemInConsultation(app: App, name: string): Promise<string> {
    const h = { cookie: owner.cookie, 'x-csrf-token': owner.csrf };
    const created = await app.inject({
      method: 'POST',
      url: '/api/systems',
      payload: { name, record: completeRecord() },
      headers: h,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().systemId as string;
    const t = await app.inject({
      method: 'POST',
      url: `/api/systems/${id}/versions/1/transition`,
      payload: { to: 'consultation', reason: 'open for comment', consultationDays: 30 },
      headers: h,
    });
    expect(t.statusCode, t.body).toBe(200);
    return id;
  }

  beforeAll(async () => {
    store = await freshStore(dialect);
    keysDir = mkdtempSync(join(tmpdir(), 'cw-keys-'));
    const first = await buildApp(store, { webDist: undefined, keysDir });
    apps.push(first.app);
    await createUser(first.ledger, 'system:test-setup', {
      username: 'owner',
      password: PASSWORD,
      roles: ['system-owner'],
    });
    const app = first.app;
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'owner', password: PASSWORD },
    });
    owner = { cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`, csrf: r.json().csrfToken };
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await store.close();
  });

  it("one address gets its limit, then 429 in the reader's language; another address is not affected; a forged X-Forwarded-For does not reset it", async () => {
    const app = await start({ commentRateLimit: { max: 3, windowMs: 60_000 } });
    const id = await systemInConsultation(app, 'Rate-limited system');
    const logged = await countLogged();
    for (let i = 0; i < 3; i++) expect((await comment(app, id, '198.51.100.7')).statusCode).toBe(201);
    const refused = await comment(app, id, '198.51.100.7', { 'accept-language': 'ko' });
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.json().code).toBe('server.rateLimited');
    expect(refused.json().detail).toMatch(/[가-힣]/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Without trustProxy, X-Forwarded-For is not the client address: forging it changes nothing.
    for (const fake of ['203.0.113.1', '203.0.113.2'])
      expect((await comment(app, id, '198.51.100.7', { 'x-forwarded-for': fake })).statusCode).toBe(429);
    expect((await comment(app, id, '198.51.100.8')).statusCode).toBe(201);
    expect(await countComments(id)).toBe(4);
    expect(await countLogged()).toBe(logged + 4);
  });

  it('behind a trusted proxy the limit follows X-Forwarded-For (the real client), not the proxy address', async () => {
    const app = await start({ commentRateLimit: { max: 2, windowMs: 60_000 }, trustProxy: ['10.0.0.1'] });
    const id = await systemInConsultation(app, 'Proxied system');
    const via = (client: string) => comment(app, id, '10.0.0.1', { 'x-forwarded-for': client });
    expect((await via('198.51.100.20')).statusCode).toBe(201);
    expect((await via('198.51.100.20')).statusCode).toBe(201);
    expect((await via('198.51.100.20')).statusCode).toBe(429);
    expect((await via('198.51.100.21')).statusCode).toBe(201);
    // A client that is not the trusted proxy cannot pick its address with the header.
    expect((await comment(app, id, '198.51.100.20', { 'x-forwarded-for': '198.51.100.99' })).statusCode).toBe(429);
  });

  it('the per-system daily cap holds across two servers and concurrent requests from many addresses: exactly the cap is accepted and logged', async () => {
    const cfg = { commentsPerSystemPerDay: 5, commentRateLimit: { max: 1000, windowMs: 60_000 } };
    const [a, b] = [await start(cfg), await start(cfg)];
    const id = await systemInConsultation(a, 'Capped system');
    const other = await systemInConsultation(a, 'Another capped system');
    const logged = await countLogged();
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, i) => comment(i % 2 ? a : b, id, `192.0.2.${i + 1}`)),
    );
    const codes = replies.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(19);
    const refused = replies.find((r) => r.statusCode === 429)!.json();
    expect(refused.code).toBe('server.commentCap');
    expect(refused.params.cap).toBe(5);
    expect(refused.params.reopensAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
    expect(await countComments(id)).toBe(5);
    expect(await countLogged()).toBe(logged + 5);
    // The cap is per system.
    expect((await comment(b, other, '192.0.2.200')).statusCode).toBe(201);
  });

  it('the cap is per UTC day: tomorrow the system takes comments again', async () => {
    const now = new Date('2030-05-01T23:59:59Z');
    for (let i = 0; i < 2; i++) await takeCommentSlot(store.db, 'sys-000000000abc', 2, now);
    await expect(takeCommentSlot(store.db, 'sys-000000000abc', 2, now)).rejects.toMatchObject({
      status: 429,
      messageParams: { cap: 2, reopensAt: '2030-05-02T00:00:00Z' },
    });
    await expect(
      takeCommentSlot(store.db, 'sys-000000000abc', 2, new Date('2030-05-02T00:00:00Z')),
    ).resolves.toBeUndefined();
  });
});
