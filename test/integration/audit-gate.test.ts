/**
 * Gates issue 15.2, attacked on both databases: the bias-audit gate must not be choosable by the audited.
 * Every test here tries to open the gate the way the issue describes (owner audits itself, cherry-picked
 * metrics, a forged or unregistered file, an unpublished audit) and expects the gate to stay shut.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBundledSources } from '../../src/privacy/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { buildApp } from '../../src/server/app';
import type { App } from '../../src/server/context';
import type { Store } from '../../src/store/db';
import { AUDIT_POLICY } from '../../src/registry/audit-policy';
import { DIALECTS, freshStore } from '../support/stores';
import {
  QUESTIONNAIRE,
  backdateConsultation,
  classificationAnswers,
  completeRecord,
  minimalAnswers,
  ownerModelCard,
} from '../support/register-fixtures';

const PASSWORD = 'a-long-test-password';
const COMPAS = readFileSync('test/fixtures/compas/compas-scores-two-years.csv', 'utf8');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const Q =
  'predictedColumn=score_text&positiveValues=Medium,High&labelColumn=two_year_recid&labelPositive=1&groupColumns=race';

/** A risk score with identical confusion tables in two groups (TP 40, FP 20, TN 60, FN 20 each): every ratio is 1. */
function fairCsv(): string {
  const lines = ['id,flag,outcome,group'];
  let n = 0;
  for (const g of ['A', 'B'])
    for (const [flag, out, k] of [
      ['High', 1, 40],
      ['High', 0, 20],
      ['Low', 0, 60],
      ['Low', 1, 20],
    ] as const)
      for (let i = 0; i < k; i++) lines.push(`${++n},${flag},${out},${g}`);
  return lines.join('\n');
}
const FAIR_Q = 'predictedColumn=flag&positiveValues=High&labelColumn=outcome&labelPositive=1&groupColumns=group';

/** The made-up 200-row CSV of the issue: everyone in both groups flagged equally, outcomes invented. */
function madeUpCsv(): string {
  const lines = ['id,flag,outcome,group'];
  for (let i = 0; i < 200; i++)
    lines.push(`${i},${i % 2 ? 'High' : 'Low'},${i % 4 < 2 ? 1 : 0},${i < 100 ? 'A' : 'B'}`);
  return lines.join('\n');
}

describe.each(DIALECTS)('bias-audit gate on %s (issue 15.2)', (dialect) => {
  let store: Store;
  let app: App;
  const as: Record<string, { cookie: string; csrf: string; id: string }> = {};
  const call = (who: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers: who === 'public' ? headers : { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf, ...headers },
    });
  const csv = { 'content-type': 'text/csv' };
  let id = '';
  let base = '';

  beforeAll(async () => {
    store = await freshStore(dialect);
    // "owner" holds oversight too: the attacker.
    let ledger;
    ({ app, ledger } = await buildApp(store, { webDist: undefined, keysDir: mkdtempSync(join(tmpdir(), 'cw-keys-')) }));
    await registerBundledSources(store, ledger); // the source completeRecord() names
    for (const [u, roles] of [
      ['owner', ['system-owner', 'oversight']],
      ['board', ['oversight']],
      ['board2', ['oversight']],
    ] as const) {
      await createUser(ledger, 'system:test-setup', { username: u, password: PASSWORD, roles: [...roles] });
    }
    for (const u of ['owner', 'board', 'board2']) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u, password: PASSWORD },
      });
      as[u] = {
        cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
        csrf: r.json().csrfToken,
        id: r.json().id,
      };
    }
    // A recidivism risk score: person-level, so at least level III and the person-level audit rule.
    const record = {
      ...completeRecord(),
      personLevelRiskScoring: true,
      outputSchema: { kinds: ['risk-score'], fields: { risk: 'number' }, required: ['risk'] },
    };
    id = (await call('owner', 'POST', '/api/systems', { name: 'Recidivism risk scores', record })).json().systemId;
    base = `/api/systems/${id}/versions/1`;
    await call('owner', 'POST', `${base}/transition`, { to: 'consultation', reason: 'publish', consultationDays: 30 });
    // The legal classification: answered by the owner, confirmed by oversight (register gates, issue 15.7).
    expect(
      (await call('owner', 'PUT', `${base}/classification`, { answers: classificationAnswers(record) })).statusCode,
    ).toBe(200);
    expect(
      (await call('board', 'POST', `${base}/classification/confirmation`, { reason: 'answers checked' })).statusCode,
    ).toBe(204);
    const aid = (
      await call('owner', 'POST', `${base}/assessments`, { questionnaire: QUESTIONNAIRE, answers: minimalAnswers() })
    ).json().id;
    expect(
      (
        await call('board', 'POST', `/api/assessments/${aid}/decision`, {
          decision: 'approved',
          reason: 'level III with mitigations',
        })
      ).statusCode,
    ).toBe(204);
    await backdateConsultation(store, id, 1, 31); // level III: the 30-day consultation has run its course
    const approved = await call('board', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await call('owner', 'PUT', `${base}/model-card`, ownerModelCard())).statusCode).toBe(204);
    const ws = (await call('owner', 'GET', `/api/systems/${id}/workspace`)).json();
    for (const c of ws.gate.requiredControls)
      await call('owner', 'POST', `${base}/evidence`, { control: c.id, evidence: `evidence for ${c.id}` });
    // The data-source register: court records allowed for fairness audits, and a source that is not.
    const src = {
      name: 'County pre-trial risk scores and two-year outcomes',
      provenance: 'ProPublica release of county court records (2013-2014)',
      collectingBody: 'County sheriff and court',
      legalBasis: 'public records request',
      consentStatus: 'not applicable: public records',
      personalDataCategories: ['race', 'age', 'charge'],
      retentionDays: 3650,
      sharingAgreements: [],
    };
    expect(
      (await call('board', 'POST', '/api/sources', { id: 'court-outcomes', purposes: ['fairness-audit'], ...src }))
        .statusCode,
    ).toBe(201);
    expect(
      (await call('board', 'POST', '/api/sources', { id: 'vendor-marketing', purposes: ['other'], ...src })).statusCode,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const dataset = (who: string, body: Record<string, unknown>) =>
    call(who, 'POST', `${base}/audit-datasets`, {
      sourceId: 'court-outcomes',
      periodStart: '2013-01-01',
      periodEnd: '2014-12-31',
      population: 'everyone scored at pre-trial in the county, 2013-2014',
      ...body,
    });
  const activate = () => call('board', 'POST', `${base}/transition`, { to: 'active', reason: 'go live' });

  it('the owner (even holding oversight) cannot register audit data, run, or publish an audit of its own system', async () => {
    const made = madeUpCsv();
    const reg = await dataset('owner', { sha256: sha(made) });
    expect(reg.statusCode).toBe(403);
    expect(reg.json().detail).toMatch(/separation of duties/);
    const run = await call('owner', 'POST', `${base}/audits?${FAIR_Q}`, made, csv);
    expect(run.statusCode).toBe(403);
    expect(run.json().code).toBe('audits.ownerCannotRun');
    // Korean detail for a Korean reader.
    expect(
      (await call('owner', 'POST', `${base}/audits?${FAIR_Q}`, made, { ...csv, 'accept-language': 'ko' })).json()
        .detail,
    ).toMatch(/직무 분리/);
    // An audit someone else ran: the owner still cannot publish it.
    const ds = (await dataset('board', { sha256: sha(made) })).json().id;
    const other = await call('board', 'POST', `${base}/audits?${FAIR_Q}&datasetId=${ds}`, made, csv);
    expect(other.statusCode, other.body).toBe(201);
    expect((await call('owner', 'POST', `/api/audits/${other.json().id}/publish`, {})).statusCode).toBe(403);
    // An audit row the owner ran (e.g. from before this rule) is never counted, even published by someone else.
    await store.db
      .insertInto('audits')
      .values({
        system_id: id,
        version: 1,
        kind: 'person-level',
        passed: 1,
        report: '{}',
        inputs_sha256: sha(made),
        run_by: as.owner.id,
        run_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        published: 1,
        published_by: as.board.id,
        published_at: new Date().toISOString(),
        log_index: null,
        dataset_id: ds,
        policy_version: AUDIT_POLICY.version,
        counts_for_gate: 1,
      })
      .execute();
    const gate = await activate();
    expect(gate.statusCode).toBe(409);
    expect(gate.json().detail).toMatch(/bias audit is required at this level/);
  });

  it('cherry-picked metrics (PPV, NPV) "pass" COMPAS but are informative only and never open the gate', async () => {
    const ds = (await dataset('board', { sha256: sha(COMPAS) })).json().id;
    const r = await call('board', 'POST', `${base}/audits?${Q}&metrics=PPV,NPV&datasetId=${ds}`, COMPAS, csv);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    expect(r.json()).toMatchObject({
      passed: true,
      countsForGate: false,
      policyRule: 'person-level-risk-scores',
      policyVersion: AUDIT_POLICY.version,
    });
    expect(r.json().informative.join()).toMatch(/FPR, FNR, PPR required by policy rule person-level-risk-scores/);
    expect((await call('board2', 'POST', `/api/audits/${r.json().id}/publish`, {})).statusCode).toBe(204);
    const gate = await activate();
    expect(gate.statusCode).toBe(409);
    expect(gate.json().detail).toMatch(/bias audit is required at this level/);
    // A reference group other than the policy's is informative too.
    const ref = await call('board', 'POST', `${base}/audits?${Q}&reference=Caucasian&datasetId=${ds}`, COMPAS, csv);
    expect(ref.json().countsForGate).toBe(false);
  }, 60_000);

  it('an audit on data that is not a registered dataset of this version does not count; a forged file is refused', async () => {
    // No dataset: informative.
    const fair = fairCsv();
    const r = await call('board', 'POST', `${base}/audits?${FAIR_Q}`, fair, csv);
    expect(r.json()).toMatchObject({ passed: true, countsForGate: false });
    expect(r.json().informative.join()).toMatch(/not a dataset registered/);
    // A source not allowed for fairness audits cannot be registered as audit data; an unknown one neither.
    expect((await dataset('board', { sourceId: 'vendor-marketing', sha256: sha(fair) })).statusCode).toBe(403);
    expect((await dataset('board', { sourceId: 'nowhere', sha256: sha(fair) })).statusCode).toBe(409);
    // Bad dataset records name the field.
    const bad = await dataset('board', { sha256: 'abc', periodEnd: '2012-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['sha256']));
    // A registered dataset, then a different file uploaded under its id: refused, nothing stored.
    const ds = (await dataset('board', { sha256: sha(fair) })).json().id;
    const before = (await store.db.selectFrom('audits').select('id').execute()).length;
    const forged = await call('board', 'POST', `${base}/audits?${FAIR_Q}&datasetId=${ds}`, `${fair}\n999,Low,0,A`, csv);
    expect(forged.statusCode).toBe(400);
    expect(forged.json().errors[0]).toMatchObject({ field: 'body', expected: expect.stringContaining(sha(fair)) });
    // A dataset of another system (or version) cannot be borrowed.
    const foreign = await call(
      'board',
      'POST',
      `${base.replace('/versions/1', '/versions/2')}/audits?${FAIR_Q}&datasetId=${ds}`,
      fair,
      csv,
    );
    expect(foreign.statusCode).toBe(404);
    expect((await store.db.selectFrom('audits').select('id').execute()).length).toBe(before);
  });

  it('only a published, policy-conforming audit counts; the failing COMPAS audit keeps the gate shut; the register shows the audit that opened it', async () => {
    const ds = (await dataset('board', { sha256: sha(COMPAS) })).json().id;
    const r = await call('board', 'POST', `${base}/audits?${Q}&datasetId=${ds}`, COMPAS, csv);
    expect(r.json()).toMatchObject({ passed: false, countsForGate: true });
    // ProPublica's table with the policy's reference (the largest group, African-American, n = 3,696):
    // Caucasian FPR 349 / (349 + 1,139) = 0.2345 vs 805 / 1,795 = 0.4485 → ratio 0.52, outside [0.8, 1.25].
    expect(r.json().failures.join('\n')).toMatch(/race: Caucasian FPR ratio 0\.52 vs African-American/);
    // Unpublished: the gate does not see it (still "none").
    expect((await activate()).json().detail).toMatch(/bias audit is required at this level/);
    expect((await call('board2', 'POST', `/api/audits/${r.json().id}/publish`, {})).statusCode).toBe(204);
    expect((await call('board2', 'POST', `/api/audits/${r.json().id}/publish`, {})).statusCode).toBe(409);
    const failed = await activate();
    expect(failed.statusCode).toBe(409);
    expect(failed.json().detail).toMatch(new RegExp(`bias audit ${r.json().id} that counts for the gate failed`));

    // A fair system's audit on its registered data, run by one oversight member and published by another: the gate opens.
    const fair = fairCsv();
    const fds = (await dataset('board', { sha256: sha(fair) })).json().id;
    const ok = await call('board', 'POST', `${base}/audits?${FAIR_Q}&datasetId=${fds}`, fair, csv);
    expect(ok.json()).toMatchObject({ passed: true, countsForGate: true });
    expect((await call('board2', 'POST', `/api/audits/${ok.json().id}/publish`, {})).statusCode).toBe(204);
    const live = await activate();
    expect(live.statusCode, live.body).toBe(200);
    const row = (await call('public', 'GET', '/api/register')).json().find((x: { id: string }) => x.id === id);
    expect(row.state).toBe('active');
    expect(row.gateAudit).toMatchObject({
      id: Number(ok.json().id),
      kind: 'person-level',
      passed: true,
      policyVersion: AUDIT_POLICY.version,
      datasetId: fds,
    });
    expect(row.latestAudit).not.toBeNull();
    const pub = (await call('public', 'GET', `/api/register/${id}`)).json();
    expect(pub.gateAudit.id).toBe(Number(ok.json().id));
    const shown = (await call('public', 'GET', `/api/audits/${ok.json().id}`)).json();
    expect(shown.report.dataset).toMatchObject({
      id: fds,
      sourceId: 'court-outcomes',
      sha256: sha(fair),
      period: { start: '2013-01-01', end: '2014-12-31' },
      name: expect.stringMatching(/pre-trial/),
    });
    expect(shown.report.policy).toMatchObject({
      version: AUDIT_POLICY.version,
      rule: 'person-level-risk-scores',
      metrics: ['FPR', 'FNR', 'PPR'],
    });
  }, 60_000);
});
