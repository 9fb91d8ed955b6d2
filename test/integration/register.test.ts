import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBundledSources } from '../../src/privacy/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSurveyJs } from '../../src/registry/assessment/surveyjs';
import { createUser } from '../../src/accounts/accounts';
import { buildApp } from '../../src/server/app';
import type { App } from '../../src/server/context';
import type { Store } from '../../src/store/db';
import { DIALECTS, freshStore } from '../support/stores';
import { AUDIT_POLICY } from '../../src/registry/audit-policy';
import {
  backdateConsultation,
  classificationAnswers,
  completeRecord,
  maximalAnswers,
  minimalAnswers,
  QUESTIONNAIRE,
  ownerModelCard,
} from '../support/register-fixtures';

const PASSWORD = 'a-long-test-password';

describe.each(DIALECTS)('AI register lifecycle on %s', (dialect) => {
  let store: Store;
  let app: App;
  const as: Record<string, { cookie: string; csrf: string }> = {};
  const call = (who: string, method: string, url: string, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: who === 'public' ? {} : { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf },
    });

  beforeAll(async () => {
    store = await freshStore(dialect);
    let ledger;
    ({ app, ledger } = await buildApp(store, { webDist: undefined, keysDir: mkdtempSync(join(tmpdir(), 'cw-keys-')) }));
    await registerBundledSources(store, ledger); // the source completeRecord() names
    for (const [u, roles] of [
      ['owner', ['system-owner']],
      ['owner2', ['system-owner', 'oversight']],
      ['board', ['oversight']],
      ['analyst', ['analyst']],
    ] as const) {
      await createUser(ledger, 'system:test-setup', { username: u, password: PASSWORD, roles: [...roles] });
    }
    for (const u of ['owner', 'owner2', 'board', 'analyst']) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u, password: PASSWORD },
      });
      as[u] = {
        cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
        csrf: r.json().csrfToken,
      };
    }
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('walks a system from draft to active, refusing every step taken out of turn, and logs each step', async () => {
    const created = await call('owner', 'POST', '/api/systems', {
      name: 'Patrol guidance (Counterweight forecaster)',
      record: completeRecord(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().systemId as string;
    const base = `/api/systems/${id}/versions/1`;

    // Activation straight from draft is not a lifecycle step.
    expect((await call('owner', 'POST', `${base}/transition`, { to: 'active', reason: 'go' })).statusCode).toBe(409);
    // Only the owner opens consultation.
    expect((await call('board', 'POST', `${base}/transition`, { to: 'consultation', reason: 'x' })).statusCode).toBe(
      403,
    );
    // Level IV (assessed below) needs 60 days of consultation by policy (config/consultation.json).
    expect(
      (
        await call('owner', 'POST', `${base}/transition`, {
          to: 'consultation',
          reason: 'publish for comment',
          consultationDays: 60,
        })
      ).statusCode,
    ).toBe(200);
    const comment = await call('public', 'POST', `${base}/comments`, {
      author: 'Civil liberties union',
      body: 'Who reviews the hotspots?',
    });
    expect(comment.statusCode).toBe(201);
    expect(
      (
        await call('owner', 'POST', `/api/systems/${id}/comments/${comment.json().id}/response`, {
          response: 'A supervisor reviews every mission.',
        })
      ).statusCode,
    ).toBe(204);
    await backdateConsultation(store, id, 1, 61);

    // The owner answers the legal-classification questions; oversight confirms (required before the assessment is approved).
    expect(
      (await call('owner', 'PUT', `${base}/classification`, { answers: classificationAnswers(completeRecord()) }))
        .statusCode,
    ).toBe(200);
    expect((await call('board', 'POST', `${base}/classification/confirmation`, { reason: 'checked' })).statusCode).toBe(
      204,
    );
    const sub = await call('owner', 'POST', `${base}/assessments`, {
      questionnaire: QUESTIONNAIRE,
      answers: maximalAnswers(),
    });
    expect(sub.statusCode, sub.body).toBe(201);
    expect(sub.json().level).toBe(4);
    const aid = sub.json().id as string;

    // Approval needs an approved assessment; the owner can never approve their own system's assessment.
    expect((await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' })).statusCode).toBe(409);
    expect(
      (await call('owner', 'POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'mine' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await call('board', 'POST', `/api/assessments/${aid}/decision`, {
          decision: 'approved',
          reason: 'mitigations adequate',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await call('owner', 'POST', `${base}/transition`, { to: 'approved', reason: 'self-approval' })).statusCode,
    ).toBe(403);
    // A patrol forecaster (it declares patrol-mission alerts) also needs a passed feedback-loop stress test.
    const noStress = await call('board', 'POST', `${base}/transition`, {
      to: 'approved',
      reason: 'consultation answered',
    });
    expect(noStress.statusCode).toBe(409);
    expect(noStress.json().code).toBe('register.stressTestMissing');
    expect((await call('board', 'POST', `${base}/stress-test`, {})).json().passed).toBe(true);
    expect(
      (await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'consultation answered' }))
        .statusCode,
    ).toBe(200);

    // The activation gate lists what is missing: model card and level IV controls.
    const refused = await call('owner', 'POST', `${base}/transition`, { to: 'active', reason: 'deploy' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/model card/);
    // In Korean the refusal and each listed problem are in Korean (issue 17 item 5).
    const refusedKo = await app.inject({
      method: 'POST',
      url: `${base}/transition`,
      payload: { to: 'active', reason: 'deploy' },
      headers: { cookie: as.owner.cookie, 'x-csrf-token': as.owner.csrf, 'accept-language': 'ko' },
    });
    expect(refusedKo.json().code).toBe('register.gateRefused');
    expect(refusedKo.json().detail).toMatch(/^이 버전은 운영을 시작할 수 없습니다: .*모델 카드가 없습니다/);
    // The list inside the sentence is in Korean too (its params are the problems' own messages).
    expect(refusedKo.json().detail).not.toMatch(/model card/);
    expect(refusedKo.json().errors).toContainEqual(
      expect.objectContaining({ field: 'gate', expected: '모델 카드가 없습니다', expectedCode: 'gate.noModelCard' }),
    );
    const ws = (await call('owner', 'GET', `/api/systems/${id}/workspace`)).json();
    expect(ws.gate.ok).toBe(false);
    expect(ws.gate.requiredControls.length).toBeGreaterThan(0);
    expect((await call('owner', 'PUT', `${base}/model-card`, ownerModelCard())).statusCode).toBe(204);
    for (const c of ws.gate.requiredControls)
      expect(
        (await call('owner', 'POST', `${base}/evidence`, { control: c.id, evidence: `evidence for ${c.id}` }))
          .statusCode,
      ).toBe(204);
    // Level IV requires a passed bias audit within its interval.
    const still = await call('owner', 'POST', `${base}/transition`, { to: 'active', reason: 'deploy' });
    expect(still.statusCode).toBe(409);
    expect(still.json().detail).toMatch(/audit/);
    // (A published audit that counts: a registered dataset, the current audit policy, run and published by oversight — see audit-gate.test.ts.)
    await store.db
      .insertInto('audits')
      .values({
        system_id: id,
        version: 1,
        kind: 'person-level',
        passed: 1,
        report: '{"dimensions":[]}',
        inputs_sha256: 'x'.repeat(64),
        run_by: 'board',
        run_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        published: 1,
        log_index: null,
        published_by: 'board',
        dataset_id: 'ads-000000000000',
        policy_version: AUDIT_POLICY.version,
        counts_for_gate: 1,
      })
      .execute();
    const ok = await call('owner', 'POST', `${base}/transition`, { to: 'active', reason: 'all controls in place' });
    expect(ok.statusCode, ok.body).toBe(200);

    // Pause by the owner is allowed; resume by the owner is not, even holding oversight elsewhere.
    expect(
      (await call('owner', 'POST', `${base}/transition`, { to: 'paused', reason: 'complaint received' })).statusCode,
    ).toBe(200);
    expect((await call('owner', 'POST', `${base}/transition`, { to: 'active', reason: 'resume' })).statusCode).toBe(
      403,
    );
    expect(
      (await call('board', 'POST', `${base}/transition`, { to: 'active', reason: 'complaint investigated, unfounded' }))
        .statusCode,
    ).toBe(200);

    const pub = (await call('public', 'GET', `/api/register/${id}`)).json();
    expect(pub.state).toBe('active');
    expect(pub.transitions.map((t: { to: string }) => t.to)).toEqual([
      'consultation',
      'approved',
      'active',
      'paused',
      'active',
    ]);
    const types = (await store.db.selectFrom('ledger_payloads').select('type').execute()).map((r) => r.type);
    for (const t of [
      'system.registered',
      'system.consultation',
      'assessment.submitted',
      'assessment.decision',
      'system.approved',
      'system.active',
      'system.paused',
      'model.card',
    ])
      expect(types).toContain(t);
  });

  it('an owner who also holds the oversight role still cannot approve or resume their own system', async () => {
    const id = (
      await call('owner2', 'POST', '/api/systems', { name: 'CCTV crowd density', record: completeRecord() })
    ).json().systemId;
    const base = `/api/systems/${id}/versions/1`;
    await call('owner2', 'POST', `${base}/transition`, { to: 'consultation', reason: 'publish', consultationDays: 0 });
    const aid = (
      await call('owner2', 'POST', `${base}/assessments`, { questionnaire: QUESTIONNAIRE, answers: minimalAnswers() })
    ).json().id;
    const self = await call('owner2', 'POST', `/api/assessments/${aid}/decision`, {
      decision: 'approved',
      reason: 'fine',
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().detail).toMatch(/separation of duties/);
  });

  it('redacts a field in the public record with its legal reason instead of hiding the record', async () => {
    const id = (
      await call('owner', 'POST', '/api/systems', { name: 'Stalking proximity alerts', record: completeRecord() })
    ).json().systemId;
    expect(
      (
        await call('board', 'POST', `/api/systems/${id}/versions/1/redactions`, {
          field: 'provider',
          legalReason: 'commercial confidentiality (procurement law art. 9)',
          expiresAt: '2099-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(204);
    // A draft is not public; the record is published when its consultation opens.
    expect(
      (
        await call('owner', 'POST', `/api/systems/${id}/versions/1/transition`, {
          to: 'consultation',
          reason: 'publish',
          consultationDays: 30,
        })
      ).statusCode,
    ).toBe(200);
    const pub = (await call('public', 'GET', `/api/register/${id}`)).json();
    expect(pub.record.provider).toMatchObject({ redacted: true, legalReason: expect.stringMatching(/commercial/) });
    expect(pub.record.purpose).toBe(completeRecord().purpose);
    expect((await call('public', 'GET', '/api/register')).json().map((r: { id: string }) => r.id)).toContain(id);
  });

  it('refuses bad records and answers with the failing field', async () => {
    const r = await call('owner', 'POST', '/api/systems', { name: 'x', record: 5 });
    expect(r.statusCode).toBe(400);
    const r2 = await call('analyst', 'POST', '/api/systems', { name: 'Valid name', record: completeRecord() });
    expect(r2.statusCode).toBe(403);
  });

  it('answers a bad record, a bad name and a step out of turn with coded messages, in Korean when asked (issue 17 item 5)', async () => {
    const ko = (method: string, url: string, payload?: unknown) =>
      app.inject({
        method: method as 'POST',
        url,
        payload: payload as object,
        headers: { cookie: as.owner.cookie, 'x-csrf-token': as.owner.csrf, 'accept-language': 'ko-KR,ko;q=0.9' },
      });
    const badRecord = await ko('POST', '/api/systems', { name: 'Valid name', record: { purpose: 5 } });
    expect(badRecord.statusCode).toBe(400);
    expect(badRecord.json()).toMatchObject({
      code: 'register.invalidRecord',
      detail: '시스템 등록 정보가 올바르지 않습니다',
      errors: [expect.objectContaining({ field: 'record.purpose' })],
    });
    const badName = await ko('POST', '/api/systems', { name: 'ab', record: completeRecord() });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toMatchObject({ code: 'register.badName', detail: '시스템 이름이 올바르지 않습니다' });
    // The English rendering is unchanged for a caller who does not ask for Korean.
    expect((await call('owner', 'POST', '/api/systems', { name: 'ab', record: completeRecord() })).json().detail).toBe(
      'invalid system name',
    );

    const id = (await ko('POST', '/api/systems', { name: 'Coded messages', record: completeRecord() })).json().systemId;
    const early = await ko('POST', `/api/systems/${id}/versions/1/transition`, { to: 'active', reason: 'go' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'register.badTransition',
      params: { state: 'draft', to: 'active', allowed: 'consultation, retired' },
      detail: 'draft 상태의 버전은 active 상태가 될 수 없습니다(가능한 상태: consultation, retired)',
    });
    const comment = await app.inject({
      method: 'POST',
      url: `/api/systems/${id}/versions/1/comments`,
      headers: { 'accept-language': 'ko' },
      payload: { author: 'A resident', body: 'Please publish the audit.' },
    });
    expect(comment.json()).toMatchObject({
      code: 'register.notInConsultation',
      detail: '1 버전은 공개 의견수렴 중이 아닙니다(현재 상태: draft)',
    });
  });
});

describe('register exports', () => {
  it('JSON with a schema, CSV with hostile cells neutralised, ATRS and Algoritmeregister mappings — all redacted', async () => {
    const { startDemoServer } = await import('../support/server');
    const { activeSystem } = await import('../support/active-system');
    const s = await startDemoServer({ demo: false });
    try {
      const ctx = await activeSystem(s, '=HYPERLINK("http://evil")');
      await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/versions/1/redactions`, {
        field: 'provider',
        legalReason: 'trade secret',
        expiresAt: '2099-01-01T00:00:00Z',
      });
      const schema = (await s.app.inject({ url: '/api/register/schema.json' })).json();
      expect(schema.type).toBe('object');
      expect(Object.keys(schema.properties)).toEqual(
        expect.arrayContaining(['purpose', 'legalBasis', 'outputSchema', 'personLevelRiskScoring']),
      );
      const json = (await s.app.inject({ url: '/api/register/export.json' })).json();
      expect(json[0].record.provider).toMatchObject({ redacted: true });
      const csv = (await s.app.inject({ url: '/api/register/export.csv' })).body;
      const lines = csv.trim().split('\r\n');
      expect(lines[0].split(',')).toEqual([
        'id',
        'version',
        'name',
        'state',
        'impact_level',
        'assessment_status',
        'eu_ai_act',
        'korea_high_impact',
        'purpose',
        'deploying_unit',
        'provider',
        'legal_basis',
        'data_sources',
        'retention_days',
        'human_oversight',
        'contest',
        'updated_at',
      ]);
      expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`); // quoted, and prefixed so no spreadsheet evaluates it
      expect(lines[1]).toContain('[withheld: trade secret]');
      expect(lines[1]).not.toContain('Counterweight (in-house)');
      const atrs = (await s.app.inject({ url: `/api/register/${ctx.systemId}/atrs` })).json();
      expect(atrs).toMatchObject({
        organisation: 'District 1 patrol',
        external_supplier: '[withheld: trade secret]',
        phase: 'active',
      });
      const nl = (await s.app.inject({ url: `/api/register/${ctx.systemId}/algoritmeregister` })).json();
      expect(nl).toMatchObject({ status: 'In gebruik', iama: 'Ja', provider: '[withheld: trade secret]' });
    } finally {
      await s.close();
    }
  });
});

describe('importing a SurveyJS AIA questionnaire and assessing with it', () => {
  it('round trip: import → answer → the score and level the tool would give (hand-computed)', async () => {
    const { readFileSync } = await import('node:fs');
    const { startDemoServer } = await import('../support/server');
    const { activeSystem } = await import('../support/active-system');
    const s = await startDemoServer({ demo: false });
    try {
      const ctx = await activeSystem(s, 'AIA round trip');
      // The official Canadian AIA v1.0.1 survey, unchanged (test/fixtures/surveyjs/ORIGIN.md).
      const survey = JSON.parse(readFileSync('test/fixtures/surveyjs/canada-aia-survey-enfr.json', 'utf8'));
      expect(
        (await ctx.call('system-owner', 'POST', '/api/questionnaires', { id: 'canada-aia', surveyjs: survey }))
          .statusCode,
      ).toBe(403);
      const imp = await ctx.call('oversight', 'POST', '/api/questionnaires', { id: 'canada-aia', surveyjs: survey });
      expect(imp.statusCode, imp.body).toBe(201);
      // The tool's maxima: every scored question counts (hidden forks too), the mitigation maximum is halved.
      expect(imp.json()).toMatchObject({ rawMax: 167, mitigationMax: 77 });
      expect((await s.app.inject({ url: '/api/questionnaires' })).json().map((q: { id: string }) => q.id)).toEqual(
        expect.arrayContaining(['human-rights-v1', 'canada-aia']),
      );
      const id = (
        await ctx.call('system-owner', 'POST', '/api/systems', { name: 'Second system', record: completeRecord() })
      ).json().systemId;
      // Design phase, every scored question at its heaviest answer: raw 167 of 167, mitigation 77 of 77 ≥ 80%,
      // so the score is cut by 15% and rounded as the tool does: round(167 × 0.85) = 142 → 85% → level IV.
      const { questionnaire } = importSurveyJs(survey, { id: 'canada-aia', version: 'test' });
      const answers: Record<string, unknown> = { projectDetailsPhase: 'item1' };
      for (const x of questionnaire.sections.flatMap((sec) => sec.questions)) {
        if (x.scoring !== 'unscored')
          answers[x.id] =
            x.type === 'multiple'
              ? x.options.map((o) => o.value)
              : x.options.reduce((a, b) => (b.weight > a.weight ? b : a)).value;
      }
      const r = await ctx.call('system-owner', 'POST', `/api/systems/${id}/versions/1/assessments`, {
        questionnaire: 'canada-aia',
        answers,
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().level).toBe(4);
      expect(r.json().result).toMatchObject({
        raw: 167,
        rawMax: 167,
        mitigation: 77,
        mitigationMax: 77,
        reduced: true,
        adjusted: 142,
      });
      const wrong = await ctx.call('system-owner', 'POST', `/api/systems/${id}/versions/1/assessments`, {
        questionnaire: 'canada-aia',
        answers: { projectDetailsPhase: 'item1', riskProfile1: 'item9-9' },
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors.map((e: { field: string }) => e.field)).toContain('answers.riskProfile1');
      const bad = await ctx.call('oversight', 'POST', '/api/questionnaires', {
        id: 'broken',
        surveyjs: { pages: [{ name: 'p-RS', elements: [{ type: 'radiogroup', name: 'q' }] }] },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toMatch(/^survey\.pages\.0\(p-RS\)\.elements\.0\(q\)\.choices$/);
      expect(
        (await s.app.inject({ url: '/api/questionnaires' })).json().map((q: { id: string }) => q.id),
      ).not.toContain('broken');
    } finally {
      await s.close();
    }
  });
});
