import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

/**
 * What the Admin page reads to set an installation up (issue 17.1): the import profiles, widenings
 * waiting for a second person, supervisors on duty; and an import refused row by row in the caller's
 * language, naming the uploaded file (never the server's temp path).
 */
describe.each(DIALECTS)('administration reads on %s', (dialect) => {
  let s: DemoServer;
  const as: Record<string, { cookie: string; 'x-csrf-token': string }> = {};
  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown, lang = 'en') =>
    s.app.inject({
      method,
      url,
      headers: { ...as[who], 'accept-language': lang },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const houston = JSON.parse(readFileSync('config/sources/houston-pd.json', 'utf8'));

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    await createUser(s.ledger, 'system:test-setup', {
      username: 'oversight-2',
      password: PASSWORD,
      roles: ['oversight'],
      unit: 'district-1',
    });
    for (const u of ['admin', 'analyst', 'officer', 'oversight', 'oversight-2', 'supervisor']) {
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

  it('lists the import profiles by name with a description, their source and CRS, to analysts and admins only', async () => {
    const r = await call('admin', 'GET', '/api/imports/profiles');
    expect(r.statusCode).toBe(200);
    const byName = Object.fromEntries(
      (r.json() as { name: string; source: string; crs: string; description: string }[]).map((p) => [p.name, p]),
    );
    expect(Object.keys(byName).sort()).toEqual(['chicago', 'houston', 'portland-nij']);
    expect(byName.houston).toMatchObject({ source: 'houston-pd', crs: 'EPSG:4326' });
    expect(byName['portland-nij']).toMatchObject({ source: 'nij-portland', crs: 'EPSG:2913' });
    expect(byName.houston!.description).toMatch(/Houston/);
    expect((await call('analyst', 'GET', '/api/imports/profiles')).statusCode).toBe(200);
    expect((await call('officer', 'GET', '/api/imports/profiles')).statusCode).toBe(403);
  });

  it('lists a widening until a second person decides it; the proposer may not approve it, in Korean too', async () => {
    expect((await call('admin', 'POST', '/api/sources', { ...houston, purposes: ['crime-analysis'] })).statusCode).toBe(
      201,
    );
    const proposed = await call('oversight', 'POST', '/api/sources/proposals', {
      record: { ...houston, purposes: ['crime-analysis', 'fairness-audit'] },
      legalBasis: 'Audit duty under the oversight policy, section 4',
    });
    expect(proposed.statusCode).toBe(202);
    const { proposalId } = proposed.json();
    const pending = await call('admin', 'GET', '/api/sources/proposals');
    expect(pending.statusCode).toBe(200);
    expect(pending.json()).toMatchObject([
      {
        id: proposalId,
        sourceId: 'houston-pd',
        adds: ['fairness-audit'],
        purposes: ['crime-analysis', 'fairness-audit'],
        proposedByName: 'oversight',
        status: 'pending',
      },
    ]);
    expect((await call('analyst', 'GET', '/api/sources/proposals')).statusCode).toBe(403);
    // Admins propose but do not decide; the proposer is refused in the caller's language.
    expect(
      (await call('admin', 'POST', `/api/sources/proposals/${proposalId}/decision`, { approve: true })).statusCode,
    ).toBe(403);
    const own = await call(
      'oversight',
      'POST',
      `/api/sources/proposals/${proposalId}/decision`,
      { approve: true },
      'ko',
    );
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'privacy.holdSamePerson' });
    expect(own.json().detail).toContain('다른 사람이 확인해야 합니다');
    expect((await call('admin', 'GET', '/api/sources/proposals')).json()).toHaveLength(1);
    const ok = await call('oversight-2', 'POST', `/api/sources/proposals/${proposalId}/decision`, { approve: true });
    expect(ok.json()).toMatchObject({ status: 'approved', version: 2 });
    expect((await call('admin', 'GET', '/api/sources/proposals')).json()).toEqual([]);
    expect((await call('admin', 'GET', '/api/sources')).json()[0].purposes).toEqual([
      'crime-analysis',
      'fairness-audit',
    ]);
  });

  it('lists supervisors on duty now or later, with their names; past duty is not listed', async () => {
    expect((await call('admin', 'GET', '/api/duty')).json()).toEqual([]);
    const supervisor = (await call('admin', 'GET', '/api/users'))
      .json()
      .find((u: { username: string }) => u.username === 'supervisor');
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const put = await call('admin', 'POST', '/api/duty', {
      unit: 'district-1',
      supervisorId: supervisor.id,
      startsAt: at(1),
      endsAt: at(9),
    });
    expect(put.statusCode).toBe(204);
    const duty = (await call('admin', 'GET', '/api/duty')).json();
    expect(duty).toHaveLength(1);
    expect(duty[0]).toMatchObject({ unit: 'district-1', supervisorId: supervisor.id, supervisorName: 'supervisor' });
    expect(Date.parse(duty[0].endsAt) - Date.parse(duty[0].startsAt)).toBe(8 * 3_600_000);
    expect((await call('analyst', 'GET', '/api/duty')).statusCode).toBe(403);
  });

  it('refuses a file with a bad row whole, each finding in the caller language, naming the uploaded file', async () => {
    const lines = readFileSync('test/fixtures/ingest/houston_sample.csv', 'utf8').split('\n');
    const csv = [lines[0], lines[1], lines[2]!.replace(/,29\.\d+$/, ',north'), ''].join('\n');
    const before = await s.store.db
      .selectFrom('incidents')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirst();
    for (const [lang, expected, detail] of [
      ['en', 'a finite number', 'nothing was imported'],
      ['ko', '유효한 숫자', '아무것도 가져오지 않았습니다'],
    ] as const) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/imports?profile=houston&fileName=bad_rows.csv',
        headers: { ...as.admin, 'accept-language': lang, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(r.statusCode).toBe(400);
      const p = r.json();
      expect(p.code).toBe('imports.rejected');
      expect(p.params).toEqual({ file: 'bad_rows.csv', bad: 1, rows: 2 });
      expect(p.detail).toContain(detail);
      expect(p.detail).not.toContain('cw-upload');
      expect(p.errors).toEqual([
        {
          file: 'bad_rows.csv',
          row: 3,
          field: 'lat',
          expected,
          expectedCode: 'imports.expected.number',
          got: 'north',
        },
      ]);
    }
    const after = await s.store.db
      .selectFrom('incidents')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(after!.n)).toBe(Number(before!.n));
  });
});
