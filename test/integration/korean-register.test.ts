/** Korean law in the register over HTTP, on SQLite and PostgreSQL: duties and examples in the reader's language. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

describe.each(DIALECTS)('Korean law in the register on %s', (dialect) => {
  let s: DemoServer;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
  }, 120_000);
  afterAll(async () => s?.close());
  const ko = { 'accept-language': 'ko-KR,ko;q=0.9' };

  it('anyone reads the duties, cited by article, in Korean when they ask for Korean', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/legal-duties', headers: ko });
    expect(r.statusCode).toBe(200);
    const d = r.json().duties.find((x: { id: string }) => x.id === 'kr-ai-34-1-2');
    expect(d.article).toBe('제34조제1항제2호');
    expect(d.text).toContain('설명 방안의 수립·시행');
    expect(d.controls[0]).toEqual({ id: 'individual-explanations', title: '개별 결과마다 설명 제공' });
    const en = (await s.app.inject({ method: 'GET', url: '/api/legal-duties' }))
      .json()
      .duties.find((x: { id: string }) => x.id === 'kr-ai-34-1-2');
    expect(en.article).toBe('art. 34(1)(2)');
  });

  it('serves the example entries marked as examples, never as registered systems', async () => {
    const ex = (await s.app.inject({ method: 'GET', url: '/api/register/examples', headers: ko })).json() as {
      id: string;
      example: boolean;
      notice: string;
      name: string;
    }[];
    expect(ex).toHaveLength(5);
    expect(ex.every((e) => e.example && e.notice.startsWith('예시'))).toBe(true);
    expect(ex.find((e) => e.id === 'example-intelligent-cctv')!.name).toBe('지능형 CCTV (이상행동 탐지)');
    const register = (await s.app.inject({ method: 'GET', url: '/api/register' })).json() as unknown[];
    expect(JSON.stringify(register)).not.toContain('example-');
  });

  it("a system's workspace lists the duties that bind it, in Korean", async () => {
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'system-owner', password: PASSWORD },
    });
    const headers = {
      cookie: `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`,
      'x-csrf-token': login.json().csrfToken,
    };
    const created = await s.app.inject({
      method: 'POST',
      url: '/api/systems',
      headers,
      payload: { name: 'Patrol forecaster', record: completeRecord() },
    });
    const w = (
      await s.app.inject({
        method: 'GET',
        url: `/api/systems/${created.json().systemId}/workspace`,
        headers: { ...headers, ...ko },
      })
    ).json();
    const articles = w.legalDuties.map((d: { article: string }) => d.article);
    expect(articles).toEqual(expect.arrayContaining(['제34조제1항제1호', '제34조제1항제4호', '제3조제1항·제2항']));
  });
});
