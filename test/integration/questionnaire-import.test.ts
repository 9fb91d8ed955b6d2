import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db';
import { appWithUsers, type Call } from '../support/signed-in';
import { DIALECTS } from '../support/stores';

const mini = JSON.parse(readFileSync('test/fixtures/surveyjs/mini-aia.json', 'utf8'));

/**
 * Attack tests of the questionnaire import the browser uses: checked first (nothing written), then
 * imported; malformed JSON, an oversized body, a survey that cannot be scored, a reused id and a wrong
 * role are refused with coded messages (English and Korean) and leave no row and no log entry.
 */
describe.each(DIALECTS)('SurveyJS questionnaire import on %s', (dialect) => {
  let store: Store;
  let call: Call;
  let close: () => Promise<void>;
  const counts = async () => ({
    rows: Number(
      (
        await store.db
          .selectFrom('questionnaires')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    ),
    log: Number(
      (
        await store.db
          .selectFrom('ledger_payloads')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    ),
  });

  beforeAll(async () => {
    ({ store, call, close } = await appWithUsers(dialect, { owner: ['system-owner'], board: ['oversight'] }));
  });
  afterAll(async () => close());

  it('a check names what would be imported and writes nothing', async () => {
    const before = await counts();
    const r = await call('board', 'POST', '/api/questionnaires/check', { id: 'mini-aia', surveyjs: mini });
    expect(r.statusCode, r.body).toBe(200);
    // Hand-counted in the fixture: 6 scored or unscored questions; raw maximum 2 + 2 + 2 + … as the engine scores it.
    expect(r.json()).toMatchObject({
      id: 'mini-aia',
      title: 'Mini AIA-style survey (hand-made test fixture)',
      rawMax: 12,
      mitigationMax: 5,
    });
    expect(await counts()).toEqual(before);
  });

  it('malformed JSON is refused naming the body, in English and Korean; nothing written', async () => {
    const before = await counts();
    const broken = '{"id": "mini-aia", "surveyjs": {"pages": [ }';
    const r = await call('board', 'POST', '/api/questionnaires', broken);
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('server.badJson');
    expect(r.json().errors[0].field).toBe('body');
    const k = await call('board', 'POST', '/api/questionnaires/check', broken, 'ko');
    expect(k.json().detail).toBe('요청 본문이 올바른 JSON이 아닙니다');
    expect(await counts()).toEqual(before);
  });

  it('a survey that cannot be scored is refused naming each element; nothing written', async () => {
    const before = await counts();
    const bad = structuredClone(mini);
    bad.pages[1].elements[0].choices = [];
    for (const url of ['/api/questionnaires/check', '/api/questionnaires']) {
      const r = await call('board', 'POST', url, { id: 'bad-aia', surveyjs: bad });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('questionnaires.cannotImport');
      expect(r.json().errors).toContainEqual(
        expect.objectContaining({ field: expect.stringContaining('(q1).choices'), expected: 'at least one choice' }),
      );
    }
    const ko = (
      await call('board', 'POST', '/api/questionnaires', { id: 'x-aia', surveyjs: { title: 't' } }, 'ko')
    ).json();
    expect(ko.code).toBe('questionnaires.notSurvey');
    expect(ko.detail).toBe('SurveyJS 설문이 아닙니다: 페이지(pages)가 있는 JSON 객체여야 합니다');
    expect(await counts()).toEqual(before);
  });

  it('an oversized body is refused whole (413); nothing written', async () => {
    const before = await counts();
    const huge = { id: 'huge-aia', surveyjs: { ...mini, description: 'x'.repeat(4 * 1024 * 1024) } };
    const r = await call('board', 'POST', '/api/questionnaires', huge);
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('server.tooLarge');
    expect(await counts()).toEqual(before);
  });

  it('only oversight (or an admin) imports: an owner and the public are refused; nothing written', async () => {
    const before = await counts();
    expect((await call('owner', 'POST', '/api/questionnaires', { id: 'mini-aia', surveyjs: mini })).statusCode).toBe(
      403,
    );
    expect(
      (await call('owner', 'POST', '/api/questionnaires/check', { id: 'mini-aia', surveyjs: mini })).statusCode,
    ).toBe(403);
    expect((await call('public', 'POST', '/api/questionnaires', { id: 'mini-aia', surveyjs: mini })).statusCode).toBe(
      401,
    );
    expect(await counts()).toEqual(before);
  });

  it('imports once; the same survey again changes nothing; another survey under that id is refused', async () => {
    const before = await counts();
    const r = await call('board', 'POST', '/api/questionnaires', { id: 'mini-aia', surveyjs: mini });
    expect(r.statusCode, r.body).toBe(201);
    expect(await counts()).toEqual({ rows: before.rows + 1, log: before.log + 1 });
    const again = await call('board', 'POST', '/api/questionnaires', { id: 'mini-aia', surveyjs: mini });
    expect(again.statusCode).toBe(201);
    expect(again.json().logIndex).toBe(r.json().logIndex);
    const other = structuredClone(mini);
    other.title = 'Another survey';
    const clash = await call('board', 'POST', '/api/questionnaires', { id: 'mini-aia', surveyjs: other }, 'ko');
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('questionnaires.idTaken');
    expect(clash.json().detail).toContain('mini-aia');
    const checked = await call('board', 'POST', '/api/questionnaires/check', { id: 'mini-aia', surveyjs: other });
    expect(checked.statusCode).toBe(409);
    const builtIn = await call('board', 'POST', '/api/questionnaires/check', { id: 'human-rights-v1', surveyjs: mini });
    expect([builtIn.statusCode, builtIn.json().code]).toEqual([409, 'questionnaires.builtIn']);
    expect(await counts()).toEqual({ rows: before.rows + 1, log: before.log + 1 });
    expect((await call('public', 'GET', '/api/questionnaires/mini-aia')).json().surveyjs).toEqual(mini);
  });
});
