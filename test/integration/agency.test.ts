import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

describe.each(DIALECTS)('agency display settings on %s', (dialect) => {
  let s: DemoServer;
  const as: Record<string, { cookie: string; 'x-csrf-token': string }> = {};
  const put = (who: string, timeZone: string, lang = 'en') =>
    s.app.inject({
      method: 'PUT',
      url: '/api/agency/time-zone',
      headers: { ...as[who], 'accept-language': lang },
      payload: { timeZone },
    });
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    for (const u of ['admin', 'analyst']) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u, password: PASSWORD },
      });
      as[u] = {
        cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
        'x-csrf-token': r.json().csrfToken,
      };
    }
  });
  afterAll(async () => s?.close());

  it('anyone reads the zone (UTC until set) and whether this is demo data; only an admin sets it, and it is logged', async () => {
    expect((await s.app.inject({ url: '/api/agency' })).json()).toEqual({ timeZone: 'UTC', demo: null });
    expect((await put('analyst', 'Asia/Seoul')).statusCode).toBe(403);
    const r = await put('admin', 'Asia/Seoul');
    expect(r.statusCode).toBe(200);
    expect((await s.app.inject({ url: '/api/agency' })).json()).toEqual({ timeZone: 'Asia/Seoul', demo: null });
    await s.ledger.drain();
    const logged = await s.store.db
      .selectFrom('ledger_payloads')
      .select('payload')
      .where('type', '=', 'agency.time-zone')
      .execute();
    expect(logged.map((e) => JSON.parse(e.payload!))).toEqual([{ timeZone: 'Asia/Seoul' }]);
  });

  it("bad input: an unknown zone is refused in the caller's language, naming the field, and nothing changes", async () => {
    const r = await put('admin', 'Mars/Olympus', 'ko');
    expect(r.statusCode).toBe(400);
    const p = r.json();
    expect(p.code).toBe('agency.badTimeZone');
    expect(p.params).toEqual({ zone: 'Mars/Olympus' });
    expect(p.detail).toContain('시간대');
    expect(p.errors[0].field).toBe('timeZone');
    expect((await s.app.inject({ url: '/api/agency' })).json().timeZone).toBe('Asia/Seoul');
  });
});
