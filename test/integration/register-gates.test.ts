/**
 * Attack tests for the register's lifecycle gates (issue 15.4, 15.5, 15.7): each test tries to get
 * around a guarantee — approve early, skip comments, shorten consultation, self-confirm a classification,
 * leak a redacted field through a new version, show a draft — on SQLite and PostgreSQL.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBundledSources } from '../../src/privacy/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { buildApp } from '../../src/server/app';
import type { App } from '../../src/server/context';
import type { Store } from '../../src/store/db';
import { DIALECTS, freshStore } from '../support/stores';
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

describe.each(DIALECTS)('register gates on %s', (dialect) => {
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
  const create = async (name: string, record: Record<string, unknown> = completeRecord()) => {
    const r = await call('owner', 'POST', '/api/systems', { name, record });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().systemId as string;
  };
  /** Answer the classification questions (all "no") and have oversight confirm them. */
  const confirmedClassification = async (id: string, record: Record<string, unknown> = completeRecord()) => {
    const a = await call('owner', 'PUT', `/api/systems/${id}/versions/1/classification`, {
      answers: classificationAnswers(record),
    });
    expect(a.statusCode, a.body).toBe(200);
    const c = await call('board', 'POST', `/api/systems/${id}/versions/1/classification/confirmation`, {
      reason: 'answers match the vendor documentation',
    });
    expect(c.statusCode, c.body).toBe(204);
  };
  /** Submit and approve an assessment with the given answers (after a confirmed classification); returns its level. */
  const approvedAssessment = async (id: string, answers: Record<string, unknown>) => {
    await confirmedClassification(id);
    const sub = await call('owner', 'POST', `/api/systems/${id}/versions/1/assessments`, {
      questionnaire: QUESTIONNAIRE,
      answers,
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const d = await call('board', 'POST', `/api/assessments/${sub.json().id}/decision`, {
      decision: 'approved',
      reason: 'ok',
    });
    expect(d.statusCode, d.body).toBe(204);
    return sub.json().level as number;
  };
  const stressTest = (id: string) => call('board', 'POST', `/api/systems/${id}/versions/1/stress-test`, {});

  beforeAll(async () => {
    store = await freshStore(dialect);
    let ledger;
    ({ app, ledger } = await buildApp(store, { webDist: undefined, keysDir: mkdtempSync(join(tmpdir(), 'cw-keys-')) }));
    await registerBundledSources(store, ledger); // the source completeRecord() names
    for (const [u, roles] of [
      ['owner', ['system-owner']],
      ['other-owner', ['system-owner']],
      ['board', ['oversight']],
      ['owner-board', ['system-owner', 'oversight']],
    ] as const) {
      await createUser(ledger, 'system:test-setup', { username: u, password: PASSWORD, roles: [...roles] });
    }
    for (const u of ['owner', 'other-owner', 'board', 'owner-board']) {
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

  // ---- 15.4 consultation and approval ----

  it('refuses approval while the public consultation is still open', async () => {
    const id = await create('Open consultation');
    const base = `/api/systems/${id}/versions/1`;
    expect(
      (
        await call('owner', 'POST', `${base}/transition`, {
          to: 'consultation',
          reason: 'publish',
          consultationDays: 30,
        })
      ).statusCode,
    ).toBe(200);
    await approvedAssessment(id, minimalAnswers());
    await stressTest(id);
    const early = await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'in a hurry' });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().code).toBe('register.consultationOpen');
    expect((await call('public', 'GET', `/api/register/${id}`)).json().state).toBe('consultation');
    // Once the period is over (30 days held), approval goes through.
    await backdateConsultation(store, id, 1, 31);
    const ok = await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'period over' });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('refuses approval while any comment is unanswered, naming how many; owner or oversight answer, nobody else', async () => {
    const id = await create('Comments pending');
    const base = `/api/systems/${id}/versions/1`;
    expect(
      (
        await call('owner', 'POST', `${base}/transition`, {
          to: 'consultation',
          reason: 'publish',
          consultationDays: 30,
        })
      ).statusCode,
    ).toBe(200);
    const c1 = (
      await call('public', 'POST', `${base}/comments`, { author: 'Resident', body: 'Who sees the footage?' })
    ).json().id as number;
    const c2 = (
      await call('public', 'POST', `${base}/comments`, { author: 'NGO', body: 'Publish the error rates.' })
    ).json().id as number;
    await approvedAssessment(id, minimalAnswers());
    await stressTest(id);
    await backdateConsultation(store, id, 1, 31);
    const r = await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json()).toMatchObject({ code: 'register.commentsUnanswered', params: { count: 2 } });
    expect(r.json().detail).toMatch(/2/);
    // Another system's owner may not answer; the public may not; an empty answer is refused.
    expect(
      (await call('other-owner', 'POST', `/api/systems/${id}/comments/${c1}/response`, { response: 'not mine' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call('public', 'POST', `/api/systems/${id}/comments/${c1}/response`, { response: 'anon' })).statusCode,
    ).toBe(401);
    expect(
      (await call('owner', 'POST', `/api/systems/${id}/comments/${c1}/response`, { response: '' })).statusCode,
    ).toBe(400);
    expect(
      (
        await call('owner', 'POST', `/api/systems/${id}/comments/${c1}/response`, {
          response: 'Only the reviewing supervisor.',
        })
      ).statusCode,
    ).toBe(204);
    const one = await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
    expect(one.json()).toMatchObject({ code: 'register.commentsUnanswered', params: { count: 1 } });
    // Oversight acknowledges the second comment (logged).
    expect(
      (
        await call('board', 'POST', `/api/systems/${id}/comments/${c2}/response`, {
          kind: 'acknowledgement',
          response: 'Noted; error rates will be in the audit.',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'all comments answered' }))
        .statusCode,
    ).toBe(200);
    const pub = (await call('public', 'GET', `/api/register/${id}`)).json();
    expect(pub.comments.map((c: { responseKind: string }) => c.responseKind)).toEqual(['answer', 'acknowledgement']);
    const logged = (
      await store.db
        .selectFrom('ledger_payloads')
        .select(['type', 'payload'])
        .where('type', '=', 'consultation.response')
        .orderBy('idx')
        .execute()
    ).map((x) => JSON.parse(x.payload!));
    expect(logged.filter((x) => x.systemId === id).map((x) => x.kind)).toEqual(['answer', 'acknowledgement']);
  });

  it('refuses a consultation shorter than policy for the assessed impact level (0 days only where policy allows)', async () => {
    const id = await create('Short consultation, level IV');
    const base = `/api/systems/${id}/versions/1`;
    // Level IV assessed before opening: 0 days is refused at once, naming the field and the minimum.
    const level = await approvedAssessment(id, maximalAnswers());
    expect(level).toBe(4);
    const zero = await call('owner', 'POST', `${base}/transition`, {
      to: 'consultation',
      reason: 'publish',
      consultationDays: 0,
    });
    expect(zero.statusCode, zero.body).toBe(400);
    expect(zero.json().errors[0]).toMatchObject({ field: 'consultationDays', expected: expect.stringMatching(/60/) });

    // Opened for 0 days before the assessment existed: approval checks the days actually held against the level.
    const id2 = await create('Short consultation, assessed later');
    const base2 = `/api/systems/${id2}/versions/1`;
    expect(
      (
        await call('owner', 'POST', `${base2}/transition`, {
          to: 'consultation',
          reason: 'publish',
          consultationDays: 0,
        })
      ).statusCode,
    ).toBe(200);
    expect(await approvedAssessment(id2, maximalAnswers())).toBe(4);
    await stressTest(id2);
    const short = await call('board', 'POST', `${base2}/transition`, { to: 'approved', reason: 'ok' });
    expect(short.statusCode, short.body).toBe(409);
    expect(short.json()).toMatchObject({ code: 'register.consultationTooShort', params: { level: 4, minimum: 60 } });

    // Level I allows a 0-day consultation by policy.
    const id3 = await create('Level I, no consultation period');
    const base3 = `/api/systems/${id3}/versions/1`;
    expect(
      (
        await call('owner', 'POST', `${base3}/transition`, {
          to: 'consultation',
          reason: 'publish',
          consultationDays: 0,
        })
      ).statusCode,
    ).toBe(200);
    expect(await approvedAssessment(id3, minimalAnswers())).toBe(1);
    await stressTest(id3);
    const ok = await call('board', 'POST', `${base3}/transition`, { to: 'approved', reason: 'ok' });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  // ---- 15.5 the public register tells the truth ----

  /** Walk version 1 to active at level I (0-day consultation allowed by policy). */
  const walkToActive = async (id: string) => {
    const base = `/api/systems/${id}/versions/1`;
    expect(
      (
        await call('owner', 'POST', `${base}/transition`, {
          to: 'consultation',
          reason: 'publish',
          consultationDays: 0,
        })
      ).statusCode,
    ).toBe(200);
    await approvedAssessment(id, minimalAnswers());
    await stressTest(id);
    const ap = await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
    expect(ap.statusCode, ap.body).toBe(200);
    expect((await call('owner', 'PUT', `${base}/model-card`, ownerModelCard())).statusCode).toBe(204);
    const live = await call('owner', 'POST', `${base}/transition`, { to: 'active', reason: 'live' });
    expect(live.statusCode, live.body).toBe(200);
  };

  it('a redaction carries over to a new version: the withheld procurement route leaks through no export', async () => {
    const secret = 'single-source award to Acme Vision, contract 2026-117';
    const record = { ...completeRecord(), provider: { name: 'Acme Vision', procurementRoute: secret } };
    const id = await create('Redaction carried over', record);
    expect(
      (
        await call('board', 'POST', `/api/systems/${id}/versions/1/redactions`, {
          field: 'provider.procurementRoute',
          legalReason: 'commercial confidentiality (procurement act art. 9)',
          expiresAt: '2099-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await call('owner', 'POST', `/api/systems/${id}/versions/1/transition`, {
          to: 'consultation',
          reason: 'publish',
          consultationDays: 30,
        })
      ).statusCode,
    ).toBe(200);
    // The owner starts version 2 and opens it for comment: it is now the newest public version.
    expect((await call('owner', 'POST', `/api/systems/${id}/versions`)).json().version).toBe(2);
    expect(
      (
        await call('owner', 'POST', `/api/systems/${id}/versions/2/transition`, {
          to: 'consultation',
          reason: 'v2 for comment',
          consultationDays: 30,
        })
      ).statusCode,
    ).toBe(200);

    const views = {
      'register/:id': await call('public', 'GET', `/api/register/${id}`),
      'register/:id?version=2': await call('public', 'GET', `/api/register/${id}?version=2`),
      register: await call('public', 'GET', '/api/register'),
      'export.json': await call('public', 'GET', '/api/register/export.json'),
      'export.csv': await call('public', 'GET', '/api/register/export.csv'),
      atrs: await call('public', 'GET', `/api/register/${id}/atrs`),
      algoritmeregister: await call('public', 'GET', `/api/register/${id}/algoritmeregister`),
    };
    for (const [name, r] of Object.entries(views)) {
      expect(r.statusCode, name).toBe(200);
      expect(r.body, name).not.toContain('Acme Vision, contract');
      expect(r.body, name).not.toContain('2026-117');
    }
    expect(views['register/:id?version=2'].json()).toMatchObject({
      version: 2,
      record: {
        provider: {
          name: 'Acme Vision',
          procurementRoute: { redacted: true, legalReason: expect.stringMatching(/procurement act/) },
        },
      },
    });
    expect(views['export.json'].json().find((x: { id: string }) => x.id === id)).toMatchObject({
      version: 2,
      record: { provider: { procurementRoute: { redacted: true } } },
    });
    expect(views['export.csv'].body).toContain('[withheld: commercial confidentiality (procurement act art. 9)]');
    expect(views.atrs.json().procurement_procedure).toBe(
      '[withheld: commercial confidentiality (procurement act art. 9)]',
    );
    expect(views.algoritmeregister.json().provider).toContain('[withheld: commercial confidentiality');
  });

  it('the public default view is the live version, never an unreviewed draft; a draft-only system is not public', async () => {
    const draftOnly = await create('Draft only, never published', {
      ...completeRecord(),
      purpose: 'UNPUBLISHED DRAFT PURPOSE',
    });
    expect((await call('public', 'GET', `/api/register/${draftOnly}`)).statusCode).toBe(404);
    expect((await call('public', 'GET', `/api/register/${draftOnly}?version=1`)).statusCode).toBe(404);
    expect((await call('public', 'GET', `/api/register/${draftOnly}/atrs`)).statusCode).toBe(404);
    for (const url of ['/api/register', '/api/register/export.json', '/api/register/export.csv']) {
      const body = (await call('public', 'GET', url)).body;
      expect(body, url).not.toContain(draftOnly);
      expect(body, url).not.toContain('UNPUBLISHED DRAFT PURPOSE');
    }
    // Retiring a draft that never went to consultation does not publish it.
    expect(
      (
        await call('owner', 'POST', `/api/systems/${draftOnly}/versions/1/transition`, {
          to: 'retired',
          reason: 'abandoned',
        })
      ).statusCode,
    ).toBe(200);
    expect((await call('public', 'GET', `/api/register/${draftOnly}`)).statusCode).toBe(404);
    expect((await call('public', 'GET', '/api/register/export.json')).body).not.toContain('UNPUBLISHED DRAFT PURPOSE');

    const id = await create('Live version with a draft successor');
    await walkToActive(id);
    expect((await call('owner', 'POST', `/api/systems/${id}/versions`)).json().version).toBe(2);
    const v2 = { ...completeRecord(), purpose: 'UNREVIEWED V2 PURPOSE' };
    expect((await call('owner', 'PUT', `/api/systems/${id}/versions/2`, { record: v2 })).statusCode).toBe(204);
    const check = async (expectVersion: number) => {
      const one = (await call('public', 'GET', `/api/register/${id}`)).json();
      expect(one).toMatchObject({
        version: expectVersion,
        state: 'active',
        record: { purpose: completeRecord().purpose },
      });
      const row = (await call('public', 'GET', '/api/register')).json().find((r: { id: string }) => r.id === id);
      expect(row).toMatchObject({ version: expectVersion, state: 'active', purpose: completeRecord().purpose });
      for (const url of [
        '/api/register/export.json',
        '/api/register/export.csv',
        `/api/register/${id}/atrs`,
        `/api/register/${id}/algoritmeregister`,
      ]) {
        expect((await call('public', 'GET', url)).body, url).not.toContain('UNREVIEWED V2 PURPOSE');
      }
      return one;
    };
    // Version 2 is a draft: not public at all, not even by number, nor listed among the versions.
    const one = await check(1);
    expect(one.versions.map((x: { version: number }) => x.version)).toEqual([1]);
    expect((await call('public', 'GET', `/api/register/${id}?version=2`)).statusCode).toBe(404);
    // Under consultation it is public by number, but the default view stays the live version.
    expect(
      (
        await call('owner', 'POST', `/api/systems/${id}/versions/2/transition`, {
          to: 'consultation',
          reason: 'v2 for comment',
          consultationDays: 30,
        })
      ).statusCode,
    ).toBe(200);
    await check(1);
    expect((await call('public', 'GET', `/api/register/${id}?version=2`)).json()).toMatchObject({
      version: 2,
      record: { purpose: 'UNREVIEWED V2 PURPOSE' },
    });
  });

  // ---- 15.7 classification is not self-declared only ----

  const cctvRecord = () => ({
    ...completeRecord(),
    purpose:
      'Intelligent CCTV: detect fights, loitering and other abnormal behaviour in live street video and alert the control room',
    outputSchema: {
      kinds: ['cctv-detection'],
      fields: { camera: 'string', behaviour: 'string', risk: 'number' },
      required: ['camera'],
    },
  });

  it('an intelligent-CCTV behaviour detector answered honestly is high-risk (EU Annex III) and high-impact (Korea), with reasons in English and Korean', async () => {
    const id = await create('Intelligent CCTV behaviour detection', cctvRecord());
    // The record sets no legal flag: on flags alone it was neither high-risk nor high-impact.
    const before = (await call('owner', 'GET', `/api/systems/${id}/workspace`)).json().classification;
    expect(before).toMatchObject({
      status: 'not-answered',
      euAiAct: { category: 'other' },
      korea: { highImpact: false },
    });
    expect(before.questions.map((q: { id: string }) => q.id)).toEqual([
      'cctv-detection.analysesPeople',
      'cctv-detection.identifiesPeople',
      'cctv-detection.realTime',
      'cctv-detection.publicSpaces',
      'cctv-detection.infersEmotionOrIntent',
      'cctv-detection.infersSensitiveAttributes',
    ]);
    expect(before.questions[0].textKo).toMatch(/[\uac00-\ud7a3]/);

    // Every question must be answered yes or no; the error names each one.
    const partial = await call('owner', 'PUT', `/api/systems/${id}/versions/1/classification`, {
      answers: {
        'cctv-detection.analysesPeople': true,
        'cctv-detection.realTime': 'yes',
        'risk-score.scoresIndividuals': false,
      },
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'answers.cctv-detection.identifiesPeople',
      'answers.cctv-detection.realTime',
      'answers.cctv-detection.publicSpaces',
      'answers.cctv-detection.infersEmotionOrIntent',
      'answers.cctv-detection.infersSensitiveAttributes',
      'answers.risk-score.scoresIndividuals',
    ]);

    // Honest answers: it analyses people's bodies and behaviour, live, in public, and flags "abnormal" behaviour; it does not identify anyone.
    const honest = classificationAnswers(cctvRecord(), [
      'cctv-detection.analysesPeople',
      'cctv-detection.realTime',
      'cctv-detection.publicSpaces',
      'cctv-detection.infersEmotionOrIntent',
    ]);
    const r = await call('owner', 'PUT', `/api/systems/${id}/versions/1/classification`, { answers: honest });
    expect(r.statusCode, r.body).toBe(200);
    const c = r.json();
    expect(c.status).toBe('answered');
    expect(c.euAiAct.category).toBe('high-risk');
    expect(c.euAiAct.basis.map((b: { provision: string }) => b.provision)).toEqual([
      'Annex III 1(c)',
      'Annex III 6(e)',
    ]);
    expect(c.korea.highImpact).toBe(true);
    expect(c.korea.basis).toEqual([
      expect.objectContaining({
        provision: 'art. 2(4)(f)',
        provisionKo: '제2조제4호바목',
        code: 'register.classification.reason.krBiometric',
      }),
    ]);
    for (const b of [...c.euAiAct.basis, ...c.korea.basis]) {
      expect(b.reason).toMatch(/[a-z]/);
      expect(b.reasonKo).toMatch(/[\uac00-\ud7a3]/);
    }
    // Not yet confirmed: the public sees the computed classification marked as answered, not confirmed.
    await call('owner', 'POST', `/api/systems/${id}/versions/1/transition`, {
      to: 'consultation',
      reason: 'publish',
      consultationDays: 30,
    });
    const pub = (await call('public', 'GET', `/api/register/${id}`)).json();
    expect(pub.classification).toMatchObject({
      status: 'answered',
      euAiAct: { category: 'high-risk' },
      korea: { highImpact: true },
    });
    expect((await call('public', 'GET', '/api/register/export.csv')).body).toMatch(
      new RegExp(`${id},1,Intelligent CCTV behaviour detection,consultation,,,high-risk,yes`),
    );
    // If it also identified people live in public spaces it would be prohibited unless authorised (art. 5(1)(h)).
    const rbi = await call('owner', 'PUT', `/api/systems/${id}/versions/1/classification`, {
      answers: { ...honest, 'cctv-detection.identifiesPeople': true },
    });
    expect(rbi.json().euAiAct).toMatchObject({
      category: 'prohibited-unless-authorised',
      basis: [
        { provision: 'art. 5(1)(h), 5(2)–(3)' },
        { provision: 'Annex III 1(a)' },
        { provision: 'Annex III 1(c)' },
        { provision: 'Annex III 6(e)' },
      ],
    });
  });

  it('the owner can never confirm their own classification, and an assessment is approved only after oversight confirms it', async () => {
    const selfId = (
      await call('owner-board', 'POST', '/api/systems', { name: 'Owner holding oversight', record: cctvRecord() })
    ).json().systemId as string;
    const selfBase = `/api/systems/${selfId}/versions/1`;
    expect(
      (await call('owner-board', 'PUT', `${selfBase}/classification`, { answers: classificationAnswers(cctvRecord()) }))
        .statusCode,
    ).toBe(200);
    const self = await call('owner-board', 'POST', `${selfBase}/classification/confirmation`, {
      reason: 'I checked it myself',
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('register.classification.ownerCannotConfirm');
    // A plain owner is refused by role; oversight may not answer for the owner.
    const id = await create('Classification gate', cctvRecord());
    const base = `/api/systems/${id}/versions/1`;
    expect((await call('owner', 'POST', `${base}/classification/confirmation`, { reason: 'mine' })).statusCode).toBe(
      403,
    );
    expect(
      (await call('board', 'PUT', `${base}/classification`, { answers: classificationAnswers(cctvRecord()) }))
        .statusCode,
    ).toBe(403);
    // Nothing answered yet: confirmation and assessment approval are both refused.
    expect((await call('board', 'POST', `${base}/classification/confirmation`, { reason: 'ok' })).json().code).toBe(
      'register.classification.notAnswered',
    );
    const sub = (
      await call('owner', 'POST', `${base}/assessments`, { questionnaire: QUESTIONNAIRE, answers: minimalAnswers() })
    ).json().id as string;
    const early = await call('board', 'POST', `/api/assessments/${sub}/decision`, {
      decision: 'approved',
      reason: 'ok',
    });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().code).toBe('register.classification.notConfirmed');
    // Answered, then the record edited: the answers are stale until given again.
    expect(
      (
        await call('owner', 'PUT', `${base}/classification`, {
          answers: classificationAnswers(cctvRecord(), ['cctv-detection.analysesPeople']),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await call('owner', 'PUT', base, { record: { ...cctvRecord(), purpose: 'changed after answering' } }))
        .statusCode,
    ).toBe(204);
    expect((await call('board', 'POST', `${base}/classification/confirmation`, { reason: 'ok' })).json().code).toBe(
      'register.classification.stale',
    );
    expect(
      (
        await call('owner', 'PUT', `${base}/classification`, {
          answers: classificationAnswers(cctvRecord(), ['cctv-detection.analysesPeople']),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await call('board', 'POST', `${base}/classification/confirmation`, {
          reason: 'matches the vendor documentation',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await call('board', 'POST', `/api/assessments/${sub}/decision`, { decision: 'approved', reason: 'ok' }))
        .statusCode,
    ).toBe(204);
    const logged = (
      await store.db
        .selectFrom('ledger_payloads')
        .select(['type', 'payload'])
        .where('type', 'in', ['register.classification-answered', 'register.classification-confirmed'])
        .orderBy('idx')
        .execute()
    )
      .map((x) => ({ type: x.type, ...JSON.parse(x.payload!) }))
      .filter((x) => x.systemId === id);
    expect(logged.map((x) => x.type)).toEqual([
      'register.classification-answered',
      'register.classification-answered',
      'register.classification-confirmed',
    ]);
    expect(logged[2]).toMatchObject({ euAiAct: 'high-risk', koreaHighImpact: true });
  });
});
