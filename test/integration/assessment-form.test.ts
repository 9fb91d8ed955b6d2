import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../src/domain/messages';
import { HUMAN_RIGHTS_V1 } from '../../src/registry/assessment/human-rights';
import { liveScore } from '../../src/registry/assessment/survey-form';
import { importSurveyJs } from '../../src/registry/assessment/surveyjs';
import { completeRecord, QUESTIONNAIRE } from '../support/register-fixtures';
import { appWithUsers, type Call } from '../support/signed-in';
import { DIALECTS } from '../support/stores';

const mini = JSON.parse(readFileSync('test/fixtures/surveyjs/mini-aia.json', 'utf8'));

/** What the workspace's forms read: questionnaires as forms, the model card's schema, the gate as a checklist. */
describe.each(DIALECTS)('assessment and record forms on %s', (dialect) => {
  let call: Call;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ call, close } = await appWithUsers(
      dialect,
      { owner: ['system-owner'], board: ['oversight'] },
      { bundledSources: true },
    ));
  });
  afterAll(async () => close());

  it('serves the built-in questionnaire as a SurveyJS form with the questionnaire that scores it', async () => {
    const r = await call('public', 'GET', `/api/questionnaires/${QUESTIONNAIRE}`);
    expect(r.statusCode).toBe(200);
    const form = r.json();
    expect(form.kind).toBe('built-in');
    expect(form.questionnaire).toEqual(JSON.parse(JSON.stringify(HUMAN_RIGHTS_V1)));
    expect(form.surveyjs.pages.map((p: { name: string }) => p.name)).toEqual(HUMAN_RIGHTS_V1.sections.map((s) => s.id));
    const unknown = await call('public', 'GET', '/api/questionnaires/no-such-questionnaire');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('questionnaire');
  });

  it("an imported SurveyJS questionnaire comes back as imported, and its live score is the server's", async () => {
    const imported = await call('board', 'POST', '/api/questionnaires', { id: 'mini-aia', surveyjs: mini });
    expect(imported.statusCode).toBe(201);
    const form = (await call('public', 'GET', '/api/questionnaires/mini-aia')).json();
    expect(form.surveyjs).toEqual(mini);
    expect(form.questionnaire).toBeUndefined();

    const sys = (await call('owner', 'POST', '/api/systems', { name: 'Form test', record: completeRecord() })).json();
    const answers = {
      projectPhase: 'item2',
      q1: 'item2-2',
      q2: ['item2-2'],
      mi1: 'item1-1',
      mi2: 'item2-0',
      'q5-RS': 'item2-2',
    };
    // What the web app computes from the form it was served, with the server's importer and engine.
    const live = liveScore(
      importSurveyJs(form.surveyjs, { id: 'mini-aia', version: 'imported' }).questionnaire,
      answers,
      {},
    );
    const submitted = await call('owner', 'POST', `/api/systems/${sys.systemId}/versions/1/assessments`, {
      questionnaire: 'mini-aia',
      answers,
    });
    expect(submitted.statusCode).toBe(201);
    expect(live.ok).toBe(true);
    if (live.ok) {
      expect(submitted.json().level).toBe(live.level);
      expect(submitted.json().result).toEqual(JSON.parse(JSON.stringify(live.result)));
      // Hand-computed: raw 2 + 2 + 2 = 6 of 12; mitigation 1 of 5 (< 80%, no cut); 6/12 = 50% → level II.
      expect(live.result).toMatchObject({ raw: 6, rawMax: 12, mitigation: 1, adjusted: 6, level: 2 });
    }
  });

  it('publishes the JSON Schema of the model card the owner fills in', async () => {
    const s = (await call('public', 'GET', '/api/register/model-card-schema.json')).json();
    expect(s.type).toBe('object');
    expect(s.required).toEqual(expect.arrayContaining(['model', 'intendedUse', 'data', 'metrics', 'limitations']));
    expect(s.properties.metrics.minItems).toBe(1);
    expect(s.properties.model.required).toEqual(['name', 'version', 'method']);
  });

  it('the workspace gives the gate as a checklist: each problem with its action, in the reader language', async () => {
    const sys = (await call('owner', 'POST', '/api/systems', { name: 'Checklist', record: { purpose: 'x' } })).json();
    const en = (await call('owner', 'GET', `/api/systems/${sys.systemId}/workspace`)).json();
    const actions = en.gate.checks.map((c: { action: string }) => c.action);
    expect(actions).toEqual(['record', 'classification', 'assessment', 'model-card']);
    // The English problems are the checklist rendered in English, as before.
    expect(en.gate.problems).toEqual(en.gate.checks.map((c: { text: string }) => c.text));
    expect(en.gate.problems).toContain('there is no model card');
    const ko = (await call('owner', 'GET', `/api/systems/${sys.systemId}/workspace`, undefined, 'ko')).json();
    const card = ko.gate.checks.find((c: { action: string }) => c.action === 'model-card');
    expect(card.text).toBe('모델 카드가 없습니다');
    expect(render({ code: card.code, params: card.params }, 'ko')).toBe(card.text);
  });
});
