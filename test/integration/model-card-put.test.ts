import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db';
import { completeRecord, ownerModelCard } from '../support/register-fixtures';
import { appWithUsers, type Call } from '../support/signed-in';
import { DIALECTS } from '../support/stores';

const en = JSON.parse(readFileSync('web/src/i18n/en.json', 'utf8')) as Record<string, string>;
const ko = JSON.parse(readFileSync('web/src/i18n/ko.json', 'utf8')) as Record<string, string>;

/**
 * Attack tests of PUT …/model-card: the card is checked against the published model-card schema on the
 * server; a refused card names the failing field in plain words (English and Korean), and nothing is
 * written (neither the stored card nor a log entry).
 */
describe.each(DIALECTS)('model card PUT on %s', (dialect) => {
  let store: Store;
  let call: Call;
  let close: () => Promise<void>;
  let base = '';
  const stored = async () => (await call('owner', 'GET', `${base}/model-card`)).json().card;
  const logSize = async () =>
    Number(
      (
        await store.db
          .selectFrom('ledger_payloads')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );

  beforeAll(async () => {
    ({ store, call, close } = await appWithUsers(
      dialect,
      { owner: ['system-owner'], board: ['oversight'], other: ['system-owner'] },
      { bundledSources: true },
    ));
    const sys = (await call('owner', 'POST', '/api/systems', { name: 'Card test', record: completeRecord() })).json();
    base = `/api/systems/${sys.systemId}/versions/1`;
  });
  afterAll(async () => close());

  it('no card yet: the owner and oversight read null; the public may not read a draft card', async () => {
    expect(await stored()).toBeNull();
    expect((await call('board', 'GET', `${base}/model-card`)).json()).toEqual({ card: null });
    expect((await call('public', 'GET', `${base}/model-card`)).statusCode).toBe(401);
  });

  it('a valid card is stored as sent and read back unchanged (round trip)', async () => {
    const r = await call('owner', 'PUT', `${base}/model-card`, ownerModelCard());
    expect(r.statusCode, r.body).toBe(204);
    expect(await stored()).toEqual(ownerModelCard());
  });

  it('a wrong type is refused, naming the field in plain words, in English and Korean; nothing written', async () => {
    const before = await logSize();
    const bad = { ...ownerModelCard(), metrics: [{ name: 'precision', value: 'high' }] };
    const r = await call('owner', 'PUT', `${base}/model-card`, bad);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    const p = r.json();
    expect(p.code).toBe('modelCard.invalid.metrics.value');
    expect(p.params).toEqual({ item: 1, count: 1 });
    expect(p.detail).toContain(`“${en['modelCard.field.metrics.value']}”`);
    expect(p.detail).toContain(`“${en['modelCard.field.metrics']}”`);
    expect(p.errors).toEqual([
      {
        field: 'modelCard.metrics.0.value',
        expected: 'a number',
        expectedCode: 'modelCard.expected.number',
        got: 'high',
      },
    ]);
    const k = (await call('owner', 'PUT', `${base}/model-card`, bad, 'ko')).json();
    expect(k.code).toBe('modelCard.invalid.metrics.value');
    expect(k.detail).toContain(`“${ko['modelCard.field.metrics.value']}”`);
    expect(k.errors[0].expected).toBe('숫자');
    expect(await stored()).toEqual(ownerModelCard());
    expect(await logSize()).toBe(before);
  });

  it('an unknown field, at the top or inside a group, is refused by name; nothing written', async () => {
    const before = await logSize();
    const r = await call('owner', 'PUT', `${base}/model-card`, {
      ...ownerModelCard(),
      secretSauce: 'x',
      data: { description: 'd', rows: 5 },
    });
    expect(r.statusCode, r.body).toBe(400);
    const p = r.json();
    expect(p.code).toBe('modelCard.unknownField');
    expect(p.params).toEqual({ name: 'data.rows', count: 2 });
    expect(p.detail).toBe('the model card was not saved: it has no field “data.rows” (problems: 2)');
    expect(p.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'modelCard.data.rows',
      'modelCard.secretSauce',
    ]);
    expect(p.errors[0].expectedCode).toBe('modelCard.expected.noSuchField');
    const k = (
      await call('owner', 'PUT', `${base}/model-card`, { ...ownerModelCard(), secretSauce: 'x' }, 'ko')
    ).json();
    expect(k.detail).toBe('모델 카드를 저장하지 않았습니다: “secretSauce” 항목은 모델 카드에 없습니다 (문제 1건)');
    expect(await stored()).toEqual(ownerModelCard());
    expect(await logSize()).toBe(before);
  });

  it('a missing required field and an oversized field are named; an oversized body is refused whole', async () => {
    const before = await logSize();
    const { intendedUse: _omit, ...noUse } = ownerModelCard();
    const missing = (await call('owner', 'PUT', `${base}/model-card`, noUse)).json();
    expect(missing.code).toBe('modelCard.invalid.intendedUse');
    expect(missing.detail).toBe('the model card was not saved: check “Intended use” (problems: 1)');
    expect(missing.errors[0]).toMatchObject({
      field: 'modelCard.intendedUse',
      expectedCode: 'modelCard.expected.required',
    });

    const long = (
      await call('owner', 'PUT', `${base}/model-card`, { ...ownerModelCard(), intendedUse: 'x'.repeat(4001) }, 'ko')
    ).json();
    expect(long.code).toBe('modelCard.invalid.intendedUse');
    expect(long.detail).toBe(
      `모델 카드를 저장하지 않았습니다: “${ko['modelCard.field.intendedUse']}” 항목을 확인하십시오 (문제 1건)`,
    );
    expect(long.errors[0]).toMatchObject({
      field: 'modelCard.intendedUse',
      expectedCode: 'modelCard.expected.text',
      expectedParams: { max: 4000 },
      expected: '4000자 이하의 글',
    });

    const tooMany = (
      await call('owner', 'PUT', `${base}/model-card`, { ...ownerModelCard(), limitations: Array(51).fill('a') })
    ).json();
    expect(tooMany.code).toBe('modelCard.invalid.limitations');
    expect(tooMany.errors[0]).toMatchObject({
      expectedCode: 'modelCard.expected.list',
      expectedParams: { min: 1, max: 50 },
    });

    const huge = await call('owner', 'PUT', `${base}/model-card`, {
      ...ownerModelCard(),
      outOfScopeUses: Array(600).fill('y'.repeat(1000)),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('server.tooLarge');

    const notObject = await call('owner', 'PUT', `${base}/model-card`, [ownerModelCard()]);
    expect(notObject.statusCode).toBe(400);
    expect(await stored()).toEqual(ownerModelCard());
    expect(await logSize()).toBe(before);
  });

  it('only the owner writes the card; a valid change is read back', async () => {
    expect((await call('other', 'PUT', `${base}/model-card`, ownerModelCard())).statusCode).toBe(403);
    const changed = { ...ownerModelCard(), limitations: ['rain', 'animals trigger alerts'] };
    expect((await call('owner', 'PUT', `${base}/model-card`, changed)).statusCode).toBe(204);
    expect(await stored()).toEqual(changed);
  });
});
